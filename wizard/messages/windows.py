"""Catalogue entries for Windows (wizard.stores.userenv, wizard.shells.winps): msg_id -> (English, 中文).

Params: ``location`` (a registry path), ``path``, ``reason`` (the OS's own error text, never
containing the key), ``shell`` (PowerShell 7 / Windows PowerShell), ``policy``, ``distro``,
``length``/``limit`` (characters). No message ever carries the key.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- errors (exit 8 unless noted) ----------------------------------------------------------
    "err.userenv_windows_only": (
        "The Windows user environment (--store userenv) exists only on Windows. Here use --store file "
        "(default) or --store keyring.",
        "Windows 用户环境变量（--store userenv）只在 Windows 上可用。此处请使用 --store file（默认）或 --store keyring。",
    ),
    "err.registry_denied": (
        "Access to {location} was denied ({reason}). The user environment is normally writable by you; a "
        "policy of your organisation may forbid it. Nothing else was changed. Use --store file instead, or "
        "ask your administrator.",
        "访问 {location} 被拒绝（{reason}）。用户环境变量通常可由本人修改，可能是所在组织的策略禁止了修改。"
        "其他内容均未改动。请改用 --store file，或联系管理员。",
    ),
    "err.registry_failed": (
        "Could not write {location}: {reason}. Use --store file instead, or set the variable by hand in "
        '"Edit environment variables for your account".',
        "无法写入 {location}：{reason}。请改用 --store file，或在“编辑账户的环境变量”中手动设置。",
    ),
    "err.acl_failed": (
        "Could not make {path} readable by you only ({reason}). The key file may be readable by other "
        'accounts on this computer. Fix: icacls "{path}" /inheritance:r /grant:r "%USERNAME%:F", or '
        "use --store userenv or --store keyring.",
        "无法将 {path} 设为仅本人可读（{reason}）。这台电脑上的其他账户可能可以读取该密钥文件。"
        '解决方法：运行 icacls "{path}" /inheritance:r /grant:r "%USERNAME%:F"，或改用 --store userenv 或 --store keyring。',
    ),
    "err.ps_profile_unknown": (
        "Could not find out where PowerShell keeps its profile: no PowerShell (pwsh or powershell) answered. "
        "PowerShell reads the Windows user environment as well, which is the default on Windows; or run the "
        "line shown by `{prog} snippet --shell powershell` yourself.",
        "无法确定 PowerShell 配置文件的位置：没有 PowerShell（pwsh 或 powershell）响应。"
        "PowerShell 同样会读取 Windows 用户环境变量（Windows 上的默认方式）；也可以自行运行 "
        "`{prog} snippet --shell powershell` 给出的命令。",
    ),
    "err.cmd_no_startup": (
        "CMD runs no startup file, so nothing would load the key from --store {store} into a new CMD "
        "window (dashscope-setup does not use CMD's AutoRun: it runs before every cmd.exe, scripts and build "
        "tools included). Use --store userenv (the default on Windows): every new program, CMD included, gets "
        "the key from the Windows user environment. Or add --shell powershell, whose profile loads the key "
        "from --store {store}.",
        "CMD 不运行任何启动文件，因此新打开的 CMD 窗口无法从 --store {store} 读取密钥"
        "（dashscope-setup 不使用 CMD 的 AutoRun：它会在每个 cmd.exe 启动前运行，包括脚本和构建工具）。"
        "请使用 --store userenv（Windows 上的默认方式）：包括 CMD 在内的所有新程序都会从 Windows 用户环境变量获得密钥。"
        "也可以加上 --shell powershell，由 PowerShell 配置文件从 --store {store} 读取密钥。",
    ),
    # --- what the report lists ---------------------------------------------------------------
    "what.registry": ("Windows user environment, REG_SZ", "Windows 用户环境变量，REG_SZ"),
    "note.userenv_long_value": (
        "Saved in full ({length} characters): unlike setx, which cuts values at {limit} characters, the "
        "user environment holds long values.",
        "已完整保存（{length} 个字符）：setx 会把值截断到 {limit} 个字符，而直接写入用户环境变量没有此限制。",
    ),
    "warn.broadcast_failed": (
        "The variable is saved, but Windows did not confirm that running programs were told about it. If a "
        "new terminal does not see it, sign out of Windows and sign in again.",
        "变量已保存，但 Windows 未确认已通知正在运行的程序。如果新打开的终端仍读取不到，请注销 Windows 后重新登录。",
    ),
    # --- only new processes see it -------------------------------------------------------------
    "next.win_new_terminals": (
        "Only programs started from now on see the new value. Windows Terminal and VS Code hand their own, "
        "older environment to every new tab and integrated terminal: close ALL their windows and start them "
        "again (a new tab is not enough). Other IDEs, and Jupyter, likewise need a restart. CMD and PowerShell "
        "windows that are already open keep the old value until you close them.",
        "只有从现在起启动的程序才能读取到新值。Windows Terminal 和 VS Code 会把它们启动时的旧环境传给每个新标签页和集成终端："
        "请关闭它们的所有窗口后重新启动（只开新标签页不够）。其他 IDE 和 Jupyter 同样需要重启。"
        "已经打开的 CMD 或 PowerShell 窗口在关闭前仍使用旧值。",
    ),
    # --- WSL: two separate environments ----------------------------------------------------------
    "warn.wsl_windows_side": (
        "This configures the WINDOWS side: PowerShell, CMD and Windows programs. Your WSL distributions "
        "have an environment of their own and do not see it; to use the key inside WSL, run dashscope-setup "
        "there as well (in a WSL terminal).",
        "本次配置的是 Windows 一侧：PowerShell、CMD 和 Windows 程序。WSL 发行版有自己独立的环境，读取不到这里的设置；"
        "如需在 WSL 中使用密钥，请在 WSL 终端中再运行一次 dashscope-setup。",
    ),
    "warn.wsl_linux_side": (
        "This is WSL ({distro}): this configures the LINUX side only — shells and programs inside this "
        "distribution. Windows programs (PowerShell, CMD, Python or an IDE started from Windows) have an "
        "environment of their own and do not see it; for them, run dashscope-setup on the Windows side too.",
        "当前是 WSL（{distro}）：本次只配置 Linux 一侧，即此发行版中的 shell 和程序。"
        "Windows 程序（PowerShell、CMD，以及从 Windows 启动的 Python 或 IDE）有自己独立的环境，读取不到这里的设置；"
        "如需在 Windows 中使用，请在 Windows 一侧也运行 dashscope-setup。",
    ),
    # --- setx and the CMD line, offered as text --------------------------------------------------
    "winenv.setx_intro": (
        "To set it by hand instead, as the official guide does, run this in CMD (replace the placeholder "
        "with your key):",
        "如需像官方文档那样手动设置，请在 CMD 中运行（把占位符换成你的密钥）：",
    ),
    "winenv.setx_caveats": (
        "About setx: it reaches only programs started afterwards (not this window — use the set line for "
        "that); the key is on the command line, visible to other programs while it runs and kept in your "
        "command history; it silently cuts values longer than {limit} characters; and it cannot delete a "
        "variable. dashscope-setup writes the same place without any of these problems.",
        "关于 setx：它只对之后启动的程序生效（当前窗口不生效，当前窗口请用 set 命令）；"
        "密钥会出现在命令行中，运行期间其他程序可以看到，并会留在命令历史里；"
        "超过 {limit} 个字符的值会被悄悄截断；而且它无法删除变量。dashscope-setup 写入的是同一位置，但没有这些问题。",
    ),
    "winenv.setx_truncates": (
        "This value is {length} characters long: setx would cut it to {limit} characters, so no setx line "
        "is offered for it.",
        "该值长度为 {length} 个字符：setx 会把它截断为 {limit} 个字符，因此不提供 setx 命令。",
    ),
    "winenv.setx_unsafe": (
        'The value contains a character that a CMD command line cannot carry safely (%, !, ^, ", a '
        "non-ASCII character, or a trailing backslash), so no setx line is offered.",
        '该值包含 CMD 命令行无法安全传递的字符（%、!、^、"、非 ASCII 字符或末尾的反斜杠），因此不提供 setx 命令。',
    ),
    "winenv.cmd_session_unsafe": (
        'The value contains %, !, ^, " or a non-ASCII character, which cannot be set safely at a CMD prompt; '
        "use PowerShell for this window, or open a new CMD window after setup.",
        '该值包含 %、!、^、" 或非 ASCII 字符，无法在 CMD 提示符下安全设置；当前窗口请使用 PowerShell，或在配置完成后打开新的 CMD 窗口。',
    ),
    # --- PowerShell --------------------------------------------------------------------------------
    "warn.ps_execution_policy": (
        "{shell}: the execution policy is {policy}, so PowerShell will not run your profile and the "
        "dashscope-setup lines in it do nothing. The Windows user environment works regardless. To allow "
        "profiles for your account only, you can run: Set-ExecutionPolicy -Scope CurrentUser RemoteSigned "
        "(dashscope-setup never changes this setting for you).",
        "{shell}：执行策略为 {policy}，PowerShell 不会运行你的配置文件，其中 dashscope-setup 添加的内容不会生效。"
        "Windows 用户环境变量不受影响。如需只为你的账户允许运行配置文件，可以运行："
        "Set-ExecutionPolicy -Scope CurrentUser RemoteSigned（dashscope-setup 不会替你修改此设置）。",
    ),
    "warn.ps_history": (
        "Do not type the key into PowerShell: a line such as $env:DASHSCOPE_API_KEY = '…' is saved in "
        "PSReadLine's history file ({path}), because its filter for secrets matches “apikey” but not "
        "“API_KEY”. Use the line dashscope-setup prints (it reads the key from its store, or asks for it "
        "without echo).",
        "不要在 PowerShell 中直接输入密钥：像 $env:DASHSCOPE_API_KEY = '…' 这样的命令会被保存到 PSReadLine 的历史文件"
        "（{path}）中，因为它的敏感信息过滤只匹配 “apikey”，不匹配 “API_KEY”。"
        "请使用 dashscope-setup 给出的命令（从存储位置读取密钥，或以不回显的方式询问密钥）。",
    ),
    "warn.ps_history_has_key": (
        "The key appears in PowerShell's history file {path}: anyone who can read that file has it. Delete "
        "those lines from the file (or the file itself), and consider creating a new key in the Model "
        "Studio console.",
        "PowerShell 历史文件 {path} 中出现了该密钥：能读取此文件的人都能拿到它。请从文件中删除这些行（或删除整个文件），"
        "并考虑在百炼控制台重新创建一个密钥。",
    ),
}
