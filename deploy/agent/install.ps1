# Installs the Vigil agent on Windows, enrolled into the client and site of an enrollment token.
# Served by the collector at /install.ps1 with its address filled in. In an elevated PowerShell:
#
#   & ([scriptblock]::Create((irm https://vigil.example.net/install.ps1))) -Token vge_...
#
# The agent is a console program, and Windows services must answer the service control manager,
# which a Node.js program cannot. So by default the agent runs as a scheduled task under SYSTEM that
# starts at boot and is restarted when it exits: the supervision a service gives. With
# -ServiceWrapper C:\path\WinSW-x64.exe it is registered as a real Windows service through WinSW
# (https://github.com/winsw/winsw) instead. Running the script again is harmless; -Uninstall removes
# everything it created. UNTESTED in Vigil's CI (no Windows there): see deploy/README.md.
param(
  [string]$Token = "",
  [string]$Server = '__VIGIL_PUBLIC_URL__',
  [string]$ServiceWrapper = "",
  [switch]$Reenroll,
  [switch]$NoStart,
  [switch]$Uninstall
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version 3.0
$ProgressPreference = "SilentlyContinue"  # Invoke-WebRequest is many times slower with the progress bar

$Name = "VigilAgent"
$InstallDir = Join-Path $env:ProgramFiles "Vigil"
$Exe = Join-Path $InstallDir "vigil-agent.exe"
$StateDir = Join-Path $env:ProgramData "Vigil\agent"
$WrapperExe = Join-Path $InstallDir "vigil-agent-service.exe"
$WrapperXml = Join-Path $InstallDir "vigil-agent-service.xml"
$TokenShape = '^vge_[A-Za-z0-9-]{1,64}_[A-Za-z0-9_-]{20,100}$'

# Throws rather than exits: `exit` inside the one-liner's script block would close the technician's window.
function Fail([string]$Message, [bool]$Retry) {
  $hint = if ($Retry) { "this may be temporary: running the installer again can succeed" } else { "running it again unchanged will fail the same way" }
  throw "vigil-agent install: $Message ($hint)"
}

function Test-Admin {
  $id = [Security.Principal.WindowsIdentity]::GetCurrent()
  return (New-Object Security.Principal.WindowsPrincipal($id)).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Stop-Agent {
  if (Get-ScheduledTask -TaskName $Name -ErrorAction SilentlyContinue) {
    Stop-ScheduledTask -TaskName $Name -ErrorAction SilentlyContinue
    Unregister-ScheduledTask -TaskName $Name -Confirm:$false
  }
  if (Get-Service -Name $Name -ErrorAction SilentlyContinue) {
    Stop-Service -Name $Name -ErrorAction SilentlyContinue
    if (Test-Path $WrapperExe) { & $WrapperExe uninstall $WrapperXml | Out-Null } else { sc.exe delete $Name | Out-Null }
  }
}

if (-not (Test-Admin)) { Fail "run this in an elevated PowerShell (Run as administrator)" $false }

if ($Uninstall) {
  $agentId = $null
  $creds = Join-Path $StateDir "credentials.json"
  if (Test-Path $creds) { $agentId = (Get-Content $creds -Raw | ConvertFrom-Json).agentId }
  Stop-Agent
  foreach ($p in @($InstallDir, $StateDir)) { if (Test-Path $p) { Remove-Item -Recurse -Force $p; Write-Host "  - removed $p" } }
  Write-Host "The Vigil agent is uninstalled."
  if ($agentId) { Write-Host "The host stays in Vigil with its history; to stop counting it, revoke it: DELETE /api/v1/hosts/$agentId" }
  return
}

if (-not $Token) { Fail "-Token is required (the enrollment token from the Vigil API or dashboard)" $false }
if ($Token -notmatch $TokenShape) { Fail "the token does not look like an enrollment token (vge_<id>_<secret>); copy it whole" $false }
$Server = $Server.TrimEnd("/")
if ($Server -notmatch '^https?://') { Fail "no valid collector URL (got '$Server'): download this script from your collector, or pass -Server https://..." $false }
if (-not [Environment]::Is64BitOperatingSystem) { Fail "the agent needs 64-bit Windows" $false }
if ($ServiceWrapper -and -not (Test-Path $ServiceWrapper)) { Fail "-ServiceWrapper $ServiceWrapper does not exist" $false }

Write-Host "Installing the Vigil agent from $Server"
try { Invoke-WebRequest -UseBasicParsing -Uri "$Server/healthz" -TimeoutSec 10 | Out-Null }
catch { Fail "cannot reach the collector at ${Server}: $($_.Exception.Message)" $true }

# Download and check everything before changing the machine.
$tmp = Join-Path ([IO.Path]::GetTempPath()) ("vigil-agent-" + [Guid]::NewGuid())
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
  $newExe = Join-Path $tmp "vigil-agent.exe"
  try {
    Invoke-WebRequest -UseBasicParsing -Uri "$Server/downloads/vigil-agent-win-x64.exe" -OutFile $newExe
    $expected = ((Invoke-WebRequest -UseBasicParsing -Uri "$Server/downloads/vigil-agent-win-x64.exe.sha256").Content -split "\s+")[0]
  } catch {
    Fail "could not download the agent: $($_.Exception.Message) (the collector's operator builds it with 'npm run build:agent-bin')" $true
  }
  if ((Get-FileHash -Algorithm SHA256 $newExe).Hash.ToLower() -ne $expected.ToLower()) { Fail "the download is corrupt (checksum mismatch)" $true }
  $version = & $newExe --version
  if ($LASTEXITCODE -ne 0) { Fail "the downloaded agent does not run on this machine" $false }

  $creds = Join-Path $StateDir "credentials.json"
  $enrolled = $false
  if ((Test-Path $creds) -and -not $Reenroll) {
    Write-Host "  already enrolled as agent $((Get-Content $creds -Raw | ConvertFrom-Json).agentId) (use -Reenroll to enroll again)"
  } else {
    $tmpState = Join-Path $tmp "state"
    $out = & $newExe enroll --server $Server --token $Token --state-dir $tmpState 2>&1
    if ($LASTEXITCODE -ne 0) { Fail "enrollment failed: $out" $false }
    $enrolled = $true
  }

  # From here on the machine changes.
  Stop-Agent
  New-Item -ItemType Directory -Force -Path $InstallDir, $StateDir | Out-Null
  # Credentials are for SYSTEM and administrators only.
  icacls $StateDir /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" | Out-Null
  if ($enrolled) { Copy-Item -Force (Join-Path $tmpState "credentials.json") $creds }
  Copy-Item -Force $newExe $Exe
  Write-Host "  - installed vigil-agent $version in $InstallDir; state in $StateDir"

  if ($ServiceWrapper) {
    Copy-Item -Force $ServiceWrapper $WrapperExe
    @"
<service>
  <id>$Name</id>
  <name>Vigil monitoring agent</name>
  <description>Streams this machine's health to the Vigil collector.</description>
  <executable>$Exe</executable>
  <arguments>run</arguments>
  <env name="VIGIL_AGENT_STATE_DIR" value="$StateDir"/>
  <startmode>Automatic</startmode>
  <onfailure action="restart" delay="5 sec"/>
  <resetfailure>1 hour</resetfailure>
  <stoptimeout>15 sec</stoptimeout>
  <log mode="roll-by-size"><sizeThreshold>10240</sizeThreshold><keepFiles>5</keepFiles></log>
</service>
"@ | Set-Content -Encoding UTF8 $WrapperXml
    & $WrapperExe install $WrapperXml | Out-Null
    if (-not $NoStart) { Start-Service -Name $Name }
    Write-Host "  - registered the Windows service $Name (WinSW)"
  } else {
    $action = New-ScheduledTaskAction -Execute $Exe -Argument "run --state-dir `"$StateDir`""
    $trigger = New-ScheduledTaskTrigger -AtStartup
    $principal = New-ScheduledTaskPrincipal -UserId "SYSTEM" -LogonType ServiceAccount -RunLevel Highest
    # No time limit, restart every minute when it exits, and run on battery too.
    $settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
      -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable -MultipleInstances IgnoreNew
    Register-ScheduledTask -TaskName $Name -Action $action -Trigger $trigger -Principal $principal -Settings $settings `
      -Description "Vigil monitoring agent" | Out-Null
    if (-not $NoStart) { Start-ScheduledTask -TaskName $Name }
    Write-Host "  - registered the scheduled task $Name (SYSTEM, at startup, restarted on exit)"
  }

  if (-not $NoStart) {
    Start-Sleep -Seconds 5
    & $Exe status --state-dir $StateDir
  }
  Write-Host "Done. Status: vigil-agent status --state-dir `"$StateDir`"   Remove: -Uninstall"
} finally {
  Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}
