@echo off
rem Benchlink gateway on Windows: scripts\gateway.cmd [gateway options]
rem   e.g. scripts\gateway.cmd --config C:\ProgramData\Benchlink\gateway.json
rem Uses benchlink-gateway.jar next to this file (an installed copy), else the build's gateway\target.
rem JAVA_OPTS is passed to java; BENCHLINK_LOG_DIR switches logging to a rolling file in that directory.
setlocal
set "JAR=%~dp0benchlink-gateway.jar"
if not exist "%JAR%" set "JAR=%~dp0..\gateway\target\benchlink-gateway.jar"
if not exist "%JAR%" (
    echo gateway: benchlink-gateway.jar not found: build it with mvnw.cmd -B -DskipTests package 1>&2
    exit /b 2
)
where java >nul 2>nul
if errorlevel 1 (
    echo gateway: java not found on PATH: install a JDK 17 or newer 1>&2
    exit /b 2
)
java %JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
