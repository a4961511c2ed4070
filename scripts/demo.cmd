@echo off
rem Benchlink demo on Windows: a gateway and an agent with an in-process simulated tester, each in its own window.
rem Stop each with Ctrl-C in its window (both stop in order and exit 0). Data in %TEMP%\benchlink-demo.
rem Ports: BENCHLINK_DEMO_PORT (default 8000), BENCHLINK_DEMO_HTTP_PORT (default 8001).
setlocal
if not defined BENCHLINK_DEMO_PORT set "BENCHLINK_DEMO_PORT=8000"
if not defined BENCHLINK_DEMO_HTTP_PORT set "BENCHLINK_DEMO_HTTP_PORT=8001"
set "DEMO_DIR=%TEMP%\benchlink-demo"
set "ROOT=%~dp0.."
if not exist "%ROOT%\gateway\target\benchlink-gateway.jar" goto build
if not exist "%ROOT%\agent\target\benchlink-agent.jar" goto build
goto run
:build
echo demo: building (mvnw.cmd -B -q -DskipTests package) ...
pushd "%ROOT%"
call mvnw.cmd -B -q -DskipTests package
set "BUILD=%ERRORLEVEL%"
popd
if not "%BUILD%"=="0" (
    echo demo: build failed 1>&2
    exit /b 1
)
:run
netstat -an | findstr /r /c:"127.0.0.1:%BENCHLINK_DEMO_PORT% .*LISTENING" /c:"0.0.0.0:%BENCHLINK_DEMO_PORT% .*LISTENING" >nul
if not errorlevel 1 (
    echo demo: port %BENCHLINK_DEMO_PORT% is already in use ^(set BENCHLINK_DEMO_PORT^) 1>&2
    exit /b 1
)
if not exist "%DEMO_DIR%" mkdir "%DEMO_DIR%"
start "benchlink demo gateway" cmd /c ""%~dp0gateway.cmd" --bind 127.0.0.1 --port %BENCHLINK_DEMO_PORT% --http-port %BENCHLINK_DEMO_HTTP_PORT% --data-dir "%DEMO_DIR%\gateway-data" --offline-grace 5 & pause"
timeout /t 5 /nobreak >nul
start "benchlink demo agent" cmd /c ""%~dp0agent.cmd" run --gateway ws://127.0.0.1:%BENCHLINK_DEMO_PORT%/ws/agents --agent-id demo-rig --device-id bench-01 --port sim --profile kv --spool-dir "%DEMO_DIR%\spool" & pause"
echo.
echo   Benchlink demo is running (two windows: gateway, agent).
echo   WebSocket (1C):  ws://127.0.0.1:%BENCHLINK_DEMO_PORT%/ws/devices/all
echo   Dashboard:       http://127.0.0.1:%BENCHLINK_DEMO_HTTP_PORT%/
echo   Try:             curl -s "http://127.0.0.1:%BENCHLINK_DEMO_HTTP_PORT%/api/events?since=0&limit=5"
echo   Stop: Ctrl-C in the agent window, then in the gateway window.
exit /b 0
