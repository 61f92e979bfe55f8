"""Catalogue entries for the keyring store (wizard.stores.keyring): msg_id -> (English, 中文).

Each ``err.keyring_*`` message is complete on its own, because it is what a failed
``setup --store keyring`` prints: why the keyring cannot be used, the fix, and that the file
store is the alternative (never a silent fallback). ``keyring.fix.*`` is the fix alone and
``keyring.short.*`` a few words for a disabled menu entry. Params: ``seconds`` (timeout),
``detail`` (a backend's error text, scrubbed of the key). No message ever carries the key.
"""

from __future__ import annotations

_FILE_EN = (
    "Or keep the key in a file readable only by you instead: --store file (~/.dashscope/api_key, mode 0600)."
)
_FILE_ZH = "也可以改为把密钥保存在仅你可读的文件中：--store file（~/.dashscope/api_key，权限 0600）。"

MESSAGES: dict[str, tuple[str, str]] = {
    # --- why the keyring cannot be used (exit 8), each with the fix and the alternative ----------
    "err.keyring_no_dbus": (
        "The system keyring cannot be used: this session has no D-Bus session bus "
        "(DBUS_SESSION_BUS_ADDRESS is not set — typical of containers, cron jobs and services), and on "
        "Linux the keyring (the Secret Service) is reached only through it. "
        "Fix: run this in a terminal of your desktop session, or start a session with "
        "`dbus-run-session -- bash` and unlock a keyring in it (`gnome-keyring-daemon --unlock`, which "
        "reads the keyring password from standard input). " + _FILE_EN,
        "无法使用系统密钥环：当前会话没有 D-Bus 会话总线（未设置 DBUS_SESSION_BUS_ADDRESS，常见于容器、cron 和后台服务），"
        "而 Linux 上的密钥环（Secret Service）只能通过它访问。"
        "解决方法：在桌面会话的终端中运行；或用 `dbus-run-session -- bash` 启动会话，并在其中解锁密钥环"
        "（`gnome-keyring-daemon --unlock`，从标准输入读取密钥环密码）。" + _FILE_ZH,
    ),
    "err.keyring_ssh": (
        "The system keyring cannot be used: you are logged in over SSH and this session has no D-Bus "
        "session bus, so the keyring of the desktop session is out of reach (and new shells opened over "
        "SSH could not read the key from it either). Fix: run this in a terminal on the machine's "
        "desktop. " + _FILE_EN + " The file store works over SSH.",
        "无法使用系统密钥环：你通过 SSH 登录，当前会话没有 D-Bus 会话总线，无法访问桌面会话中的密钥环"
        "（之后通过 SSH 打开的 shell 也无法从中读取密钥）。解决方法：在这台机器的桌面终端中运行。"
        + _FILE_ZH
        + "文件方式在 SSH 下同样可用。",
    ),
    "err.keyring_wsl": (
        "The system keyring cannot be used: this is WSL, which has no Linux keyring service by default, "
        "and Linux programs cannot read the Windows Credential Manager. Fix: set one up inside WSL (a "
        "D-Bus session with gnome-keyring, unlocked when you log in), or run dashscope-setup on the "
        "Windows side for Windows programs. " + _FILE_EN,
        "无法使用系统密钥环：当前是 WSL，默认没有 Linux 密钥环服务，Linux 程序也无法读取 Windows 凭据管理器。"
        "解决方法：在 WSL 中配置密钥环（D-Bus 会话 + gnome-keyring，并在登录时解锁），"
        "或在 Windows 一侧运行 dashscope-setup 供 Windows 程序使用。" + _FILE_ZH,
    ),
    "err.keyring_no_backend": (
        "The system keyring cannot be used: no keyring service answered. On Linux a Secret Service "
        "provider must be running on the D-Bus session bus. Fix: install and start one (gnome-keyring, "
        "or KeePassXC with its Secret Service integration switched on), then run this again. " + _FILE_EN,
        "无法使用系统密钥环：没有任何密钥环服务响应。在 Linux 上，D-Bus 会话总线上必须运行一个 Secret Service 服务。"
        "解决方法：安装并启动一个（gnome-keyring，或开启 Secret Service 集成的 KeePassXC），然后重新运行。"
        + _FILE_ZH,
    ),
    "err.keyring_locked": (
        "The system keyring is locked and could not be unlocked here (the unlock prompt was dismissed, "
        "or cannot be shown without a desktop). Fix: unlock it — log in to the desktop, or unlock the "
        "“Login” keyring in “Passwords and Keys” (Linux) or Keychain Access (macOS) — then run this "
        "again. " + _FILE_EN,
        "系统密钥环已锁定，且此处无法解锁（解锁提示被关闭，或没有桌面无法显示）。"
        "解决方法：先解锁——登录桌面，或在“密码和密钥”（Linux）/“钥匙串访问”（macOS）中解锁“登录”密钥环——然后重新运行。"
        + _FILE_ZH,
    ),
    "err.keyring_no_collection": (
        "The system keyring has no default keyring yet, and creating one needs a password prompt that "
        "cannot be shown here (a new account, or no desktop session). Fix: create it once from the "
        "desktop (log in graphically, or open “Passwords and Keys”); without a desktop, start "
        "`gnome-keyring-daemon --unlock`, which reads the new keyring's password from standard input. "
        + _FILE_EN,
        "系统密钥环还没有默认密钥环，而创建它需要弹出密码提示，此处无法显示（新账户，或没有桌面会话）。"
        "解决方法：在桌面上创建一次（图形界面登录，或打开“密码和密钥”）；没有桌面时，运行 "
        "`gnome-keyring-daemon --unlock`，它会从标准输入读取新密钥环的密码。" + _FILE_ZH,
    ),
    "err.keyring_timeout": (
        "The system keyring did not answer within {seconds} s, so dashscope-setup stopped waiting (a "
        "half-started D-Bus or keyring service can hang indefinitely). Fix: restart the keyring service, "
        "or log out and in again, then run this again. " + _FILE_EN,
        "系统密钥环在 {seconds} 秒内没有响应，dashscope-setup 已停止等待（D-Bus 或密钥环服务未完全启动时可能一直卡住）。"
        "解决方法：重启密钥环服务，或注销后重新登录，然后重新运行。" + _FILE_ZH,
    ),
    "err.keyring_failed": (
        "The system keyring reported an error: {detail}. Fix: check that your keyring service works "
        "(on Linux: `secret-tool search service dashscope`), then run this again. " + _FILE_EN,
        "系统密钥环报告错误：{detail}。解决方法：确认密钥环服务工作正常"
        "（Linux 上可运行 `secret-tool search service dashscope`），然后重新运行。" + _FILE_ZH,
    ),
    "err.keyring_shadowed": (
        "The key was written to the system keyring, but reading it back returns a different value: "
        "another entry for service dashscope could not be removed. Fix: remove the old entries (on "
        "Linux: `secret-tool clear service dashscope username DASHSCOPE_API_KEY`), then run this "
        "again. " + _FILE_EN,
        "密钥已写入系统密钥环，但读回的值与之不同：另一个 service 为 dashscope 的条目无法删除。"
        "解决方法：删除旧条目（Linux 上：`secret-tool clear service dashscope username DASHSCOPE_API_KEY`），"
        "然后重新运行。" + _FILE_ZH,
    ),
    # --- the fix alone (status, wizard hints) -----------------------------------------------------
    "keyring.fix.no_dbus": (
        "Run it from a terminal of your desktop session, or use --store file.",
        "请在桌面会话的终端中运行，或使用 --store file。",
    ),
    "keyring.fix.ssh": (
        "Run it in a terminal on the desktop, or use --store file (works over SSH).",
        "请在本机桌面终端中运行，或使用 --store file（SSH 下可用）。",
    ),
    "keyring.fix.wsl": (
        "Set up gnome-keyring with D-Bus inside WSL, or use --store file.",
        "请在 WSL 中配置 gnome-keyring 与 D-Bus，或使用 --store file。",
    ),
    "keyring.fix.no_backend": (
        "Install and start gnome-keyring (or KeePassXC's Secret Service), or use --store file.",
        "请安装并启动 gnome-keyring（或 KeePassXC 的 Secret Service），或使用 --store file。",
    ),
    "keyring.fix.locked": (
        "Unlock the Login keyring, then try again; or use --store file.",
        "请先解锁“登录”密钥环再重试，或使用 --store file。",
    ),
    "keyring.fix.no_collection": (
        "Create the default keyring once from the desktop, or use --store file.",
        "请先在桌面上创建默认密钥环，或使用 --store file。",
    ),
    "keyring.fix.timeout": (
        "Restart the keyring service (or log in again), or use --store file.",
        "请重启密钥环服务（或重新登录），或使用 --store file。",
    ),
    "keyring.fix.failed": (
        "Check that the keyring service works, or use --store file.",
        "请确认密钥环服务工作正常，或使用 --store file。",
    ),
    "keyring.fix.shadowed": (
        "Remove the old dashscope entries from the keyring, or use --store file.",
        "请删除密钥环中旧的 dashscope 条目，或使用 --store file。",
    ),
    # --- a few words, for a disabled menu entry ----------------------------------------------------
    "keyring.short.no_dbus": ("no D-Bus session here", "此处没有 D-Bus 会话"),
    "keyring.short.ssh": ("not reachable over SSH", "SSH 下无法访问"),
    "keyring.short.wsl": ("no keyring service in WSL", "WSL 中没有密钥环服务"),
    "keyring.short.no_backend": ("no keyring service running", "没有运行中的密钥环服务"),
    "keyring.short.locked": ("keyring locked", "密钥环已锁定"),
    "keyring.short.no_collection": ("no default keyring yet", "尚无默认密钥环"),
    "keyring.short.timeout": ("keyring not answering", "密钥环无响应"),
    "keyring.short.failed": ("keyring error", "密钥环出错"),
    "keyring.short.shadowed": ("conflicting old entries", "存在冲突的旧条目"),
    # --- reports -----------------------------------------------------------------------------------
    "what.keyring": (
        "system keyring entry (service dashscope)",
        "系统密钥环条目（service 为 dashscope）",
    ),
    "label.store_keyring": ("the system keyring (service dashscope)", "系统密钥环（service 为 dashscope）"),
    "keyring.available": ("system keyring works ({backend})", "系统密钥环可用（{backend}）"),
    "warn.keyring_no_native_tool": (
        "secret-tool is not installed, so new shells load the key by starting `dashscope-setup env` "
        "(slower). Install it for a faster start: sudo apt install libsecret-tools (Debian/Ubuntu), "
        "sudo dnf install libsecret (Fedora).",
        "未安装 secret-tool，新开的 shell 将通过运行 `dashscope-setup env` 读取密钥（较慢）。"
        "安装后启动更快：sudo apt install libsecret-tools（Debian/Ubuntu），sudo dnf install libsecret（Fedora）。",
    ),
    "warn.keyring_no_loader": (
        "New shells cannot read the key from the keyring: neither secret-tool nor dashscope-setup is on "
        "PATH. Install libsecret-tools (secret-tool) or dashscope-setup (pipx install dashscope-setup), "
        "or use --store file.",
        "新开的 shell 无法从密钥环读取密钥：PATH 中既没有 secret-tool 也没有 dashscope-setup。"
        "请安装 libsecret-tools（secret-tool）或 dashscope-setup（pipx install dashscope-setup），或使用 --store file。",
    ),
    "warn.keyring_macos_prompt": (
        "When a new shell first reads the key, macOS may ask whether `security` may use the "
        "“dashscope” keychain item: choose “Always Allow”, or the shell starts without the key.",
        "新 shell 首次读取密钥时，macOS 可能会询问是否允许 `security` 使用钥匙串项目“dashscope”："
        "请选择“始终允许”，否则该 shell 启动后不会设置密钥。",
    ),
    "next.keyring_locked_shells": (
        "New shells read the key from the keyring when they start; while the keyring is locked they start "
        "without DASHSCOPE_API_KEY (silently, within 3 s).",
        "新开的 shell 启动时会从密钥环读取密钥；密钥环锁定时，shell 会在 3 秒内正常启动，但不设置 DASHSCOPE_API_KEY（不报错）。",
    ),
}
