# The real dashscope-setup on Windows as a user's script runs it, every command's output piped
# (Python then writes in the ANSI code page, as with `> log.txt`): setup with the live check
# against the fake DashScope (tests/fakes/dashscope.py) on 127.0.0.1, the registry values, the
# lines printed for an open CMD or PowerShell window run in new ones, a redirect from CMD,
# status, env, snippet, test, the key file with PowerShell's real profile, and remove giving
# HKCU\Environment back as it was. The GitHub workflow runs it on windows-latest with pwsh.
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$work = Join-Path ([IO.Path]::GetTempPath()) ('dashscope-smoke-' + [guid]::NewGuid())
New-Item -ItemType Directory -Path $work | Out-Null
$names = 'DASHSCOPE_API_KEY', 'DASHSCOPE_HTTP_BASE_URL', 'DASHSCOPE_COMPATIBLE_BASE_URL'

function Fail([string]$Why) { throw "FAIL: $Why" }

function Get-UserEnvironment {
    $item = Get-ItemProperty -Path 'HKCU:\Environment'
    $item.PSObject.Properties | Where-Object { $_.Name -notlike 'PS*' } |
        ForEach-Object { '{0}={1}' -f $_.Name, $_.Value } | Sort-Object
}

# Runs dashscope-setup with its output piped; the key must never be in it.
function Invoke-Tool([string[]]$ToolArgs, [string]$Stdin = '') {
    if ($Stdin) {
        $out = ($Stdin | & dashscope-setup @ToolArgs) | Out-String
    } else {
        $out = (& dashscope-setup @ToolArgs) | Out-String
    }
    $code = $LASTEXITCODE
    Write-Host $out
    if ($code -ne 0) { Fail "dashscope-setup $ToolArgs exited $code" }
    if ($out.Contains($script:key)) { Fail "dashscope-setup $ToolArgs printed the key" }
    return $out
}

$key = 'sk-' + (-join (1..32 | ForEach-Object { '{0:x}' -f (Get-Random -Maximum 16) }))
Set-Content -LiteralPath (Join-Path $work 'keys') -Value "$key ap-southeast-1" -Encoding ascii
$fakeOut = Join-Path $work 'fake.out'
$fake = Start-Process -FilePath python -PassThru -NoNewWindow -WorkingDirectory $root `
    -RedirectStandardOutput $fakeOut -RedirectStandardError (Join-Path $work 'fake.err') `
    -ArgumentList '-m', 'tests.fakes.dashscope', '--port', '0', '--keys-file', (Join-Path $work 'keys')
try {
    $urls = $null
    foreach ($i in 1..100) {
        if (Test-Path -LiteralPath $fakeOut) {
            $urls = Get-Content -LiteralPath $fakeOut | Where-Object { $_ -like 'DASHSCOPE_SETUP_REGION_URLS=*' }
        }
        if ($urls) { break }
        Start-Sleep -Milliseconds 100
    }
    if (-not $urls) { Fail 'the fake DashScope did not start' }
    $env:DASHSCOPE_SETUP_REGION_URLS = $urls.Substring('DASHSCOPE_SETUP_REGION_URLS='.Length)
    $compatible = ($env:DASHSCOPE_SETUP_REGION_URLS -split ',' | Where-Object { $_ -like 'ap-southeast-1=*' }).Substring(15)
    $native = $compatible -replace '/compatible-mode/v1$', '/api/v1'
    $want = @($key, $native, $compatible)
    $before = Get-UserEnvironment

    # The default store: the user environment, found by the live check to be Singapore's.
    Invoke-Tool @('setup', '--yes', '--key-stdin') $key | Out-Null
    $stored = $names | ForEach-Object { [Environment]::GetEnvironmentVariable($_, 'User') }
    if ((Compare-Object $stored $want)) { Fail "HKCU\Environment holds $stored" }

    # The lines printed for an open window, run in new ones (this job's own environment is older).
    $cmdLine = (Invoke-Tool @('snippet', '--shell', 'cmd', '--scope', 'session')) -split "`r?`n" |
        Where-Object { $_ -like 'for /f *' } | Select-Object -First 1
    if ($cmdLine) {
        $batch = Join-Path $work 'load.cmd'
        Set-Content -LiteralPath $batch -Encoding ascii -Value @('@echo off', $cmdLine.Replace('%', '%%'), 'echo %DASHSCOPE_API_KEY%')
        $got = (& cmd.exe /d /c $batch | Out-String).Trim()
        if ($got -ne $key) { Fail "the CMD line loaded '$got'" }
    }
    $got = (& pwsh -NoLogo -NoProfile -Command "[Environment]::GetEnvironmentVariable('DASHSCOPE_API_KEY', 'User')" | Out-String).Trim()
    if ($got -ne $key) { Fail "a new PowerShell read '$got'" }

    # What a redirect from CMD writes: the ANSI code page, and the whole report.
    $batch = Join-Path $work 'log.cmd'
    Set-Content -LiteralPath $batch -Encoding ascii -Value @('@echo off', 'dashscope-setup status > "%~dp0status.txt"')
    & cmd.exe /d /c $batch
    if ($LASTEXITCODE -ne 0) { Fail "status > status.txt exited $LASTEXITCODE" }
    Get-Content -LiteralPath (Join-Path $work 'status.txt') | Write-Host

    Invoke-Tool @('status') | Out-Null
    Invoke-Tool @('status', '--lang', 'zh') | Out-Null
    Invoke-Tool @('snippet', '--shell', 'powershell') | Out-Null
    $env:DASHSCOPE_API_KEY = $key  # as a new window has it
    Invoke-Tool @('test') | Out-Null
    Remove-Item Env:\DASHSCOPE_API_KEY
    $lines = (& dashscope-setup env --shell powershell) -join "`n"
    $got = (& pwsh -NoLogo -NoProfile -Command ($lines + "`n" + '$env:DASHSCOPE_API_KEY') | Out-String).Trim()
    if ($got -ne $key) { Fail 'env --shell powershell did not set the key' }

    Invoke-Tool @('remove', '--yes') | Out-Null
    if ((Compare-Object $before (Get-UserEnvironment))) { Fail 'remove did not give HKCU\Environment back' }

    # The key file, with PowerShell's own profile: a new pwsh (profile on) gets the key.
    Invoke-Tool @('setup', '--yes', '--key-stdin', '--store', 'file', '--shell', 'powershell') $key | Out-Null
    $got = (& pwsh -NoLogo -Command '$env:DASHSCOPE_API_KEY' | Out-String).Trim()
    if ($got -ne $key) { Fail "a new pwsh with its profile got '$got'" }
    Invoke-Tool @('remove', '--yes') | Out-Null
    if (Test-Path -LiteralPath (Join-Path $HOME '.dashscope\api_key')) { Fail 'remove left the key file' }
    if ((Compare-Object $before (Get-UserEnvironment))) { Fail 'the file store touched HKCU\Environment' }
    Write-Host 'cli-smoke: OK'
} finally {
    Stop-Process -Id $fake.Id -ErrorAction Ignore
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
