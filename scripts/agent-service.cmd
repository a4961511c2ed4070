@echo off
rem Runs "agent run --config CONFIG" for ever, restarting it 5 s after it exits: the program a Task Scheduler task
rem starts at boot (see docs\OPERATIONS.md, "Windows service"). Logs go to a rolling file in BENCHLINK_LOG_DIR.
rem   agent-service.cmd C:\ProgramData\Benchlink\agent.json
setlocal
set "CONFIG=%~1"
if "%CONFIG%"=="" set "CONFIG=%ProgramData%\Benchlink\agent.json"
if not defined BENCHLINK_LOG_DIR set "BENCHLINK_LOG_DIR=%ProgramData%\Benchlink\logs"
cd /d "%ProgramData%\Benchlink"
:again
call "%~dp0agent.cmd" run --config "%CONFIG%"
rem exit code 2 is a bad config: restarting cannot fix it, so stop and let the task show the failure
if "%ERRORLEVEL%"=="2" exit /b 2
timeout /t 5 /nobreak >nul
goto again
