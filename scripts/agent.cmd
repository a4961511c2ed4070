@echo off
rem Benchlink agent on Windows: scripts\agent.cmd COMMAND [options]
rem   e.g. scripts\agent.cmd run --config C:\ProgramData\Benchlink\agent.json
rem        scripts\agent.cmd ports
rem Uses benchlink-agent.jar next to this file (an installed copy), else the build's agent\target.
rem JAVA_OPTS is passed to java; BENCHLINK_LOG_DIR switches logging to a rolling file in that directory.
setlocal
set "JAR=%~dp0benchlink-agent.jar"
if not exist "%JAR%" set "JAR=%~dp0..\agent\target\benchlink-agent.jar"
if not exist "%JAR%" (
    echo agent: benchlink-agent.jar not found: build it with mvnw.cmd -B -DskipTests package 1>&2
    exit /b 2
)
where java >nul 2>nul
if errorlevel 1 (
    echo agent: java not found on PATH: install a JDK 17 or newer 1>&2
    exit /b 2
)
java %JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
