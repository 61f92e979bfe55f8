"""Catalogue entries for the interactive wizard: its questions and choices (``wiz.*``) and the
operating-system names it shows (``os.*``) -> (English, 中文).

Data, not code: long because every sentence is here twice. Parameters are masks, lengths and
names: never the key.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # the interactive wizard
    "wiz.language": ("Language / 语言", "语言 / Language"),
    "wiz.instr_select": ("(↑/↓ to move, Enter to choose, Esc to quit)", "（↑/↓ 移动，回车确认，Esc 退出）"),
    "wiz.instr_checkbox": (
        "(space to toggle, Enter to confirm, Esc to quit)",
        "（空格选择/取消，回车确认，Esc 退出）",
    ),
    "wiz.need_one": ("Choose at least one.", "请至少选择一项。"),
    # numbered prompts, for a terminal that cannot move the cursor (TERM=dumb)
    "wiz.num_choose": ("Choose [1-{n}, Enter = {default}]:", "请选择 [1-{n}，回车 = {default}]："),
    "wiz.num_bad": (
        "Type a number from 1 to {n} (Ctrl-C quits).",
        "请输入 1 到 {n} 之间的数字（Ctrl-C 退出）。",
    ),
    "wiz.num_pick": (
        "Numbers separated by spaces [Enter = {default}]:",
        "输入编号，用空格分隔 [回车 = {default}]：",
    ),
    "wiz.num_pick_none": ("Numbers separated by spaces (e.g. 1 2):", "输入编号，用空格分隔（如 1 2）："),
    "wiz.num_bad_many": (
        "Type one or more numbers from 1 to {n}, separated by spaces (Ctrl-C quits).",
        "请输入 1 到 {n} 之间的一个或多个编号，用空格分隔（Ctrl-C 退出）。",
    ),
    "wiz.welcome": (
        "This sets DASHSCOPE_API_KEY up for you: it {check}, then {keep}. Nothing is written before you "
        "confirm; `{prog} remove` undoes it all.",
        "本向导将为你配置 DASHSCOPE_API_KEY：{check}，然后{keep}。确认之前不会写入任何内容；"
        "`{prog} remove` 可撤销全部修改。",
    ),
    "wiz.welcome_session": (
        "This sets DASHSCOPE_API_KEY for this terminal only: it {check}, then prints the lines that set it "
        "here. Nothing is saved.",
        "本向导只为当前终端设置 DASHSCOPE_API_KEY：{check}，然后打印在此终端设置它的命令。不会保存任何内容。",
    ),
    "wiz.welcome_check_call": (
        "checks the key with a real call to {model}",
        "先用一次真实的 {model} 调用验证密钥",
    ),
    "wiz.welcome_check_probe": (
        "checks the key with the service without calling a model (--no-test)",
        "先向服务验证密钥，但不调用模型（--no-test）",
    ),
    "wiz.welcome_check_none": (
        "does not contact the service (--offline)",
        "不连接服务（--offline）",
    ),
    "wiz.welcome_keep_file": (
        "keeps it in one private file ({path}, readable only by you) and adds a small marked block to the "
        "startup file of each shell you pick",
        "把密钥保存在一个私密文件中（{path}，仅你本人可读），并在你选择的每个 shell 的启动文件中加入一个带标记的小区块",
    ),
    "wiz.welcome_keep_keyring": (
        "keeps it in the system keyring and adds a small marked block that reads it to the startup file of "
        "each shell you pick",
        "把密钥保存在系统密钥环中，并在你选择的每个 shell 的启动文件中加入一个读取它的带标记的小区块",
    ),
    "wiz.welcome_keep_inline": (
        "writes it into a small marked block in the startup file of each shell you pick",
        "把密钥写入你选择的每个 shell 的启动文件中的一个带标记的小区块",
    ),
    "wiz.welcome_keep_userenv": (
        "keeps it in your Windows user environment, which every program started afterwards reads",
        "把密钥保存在你的 Windows 用户环境变量中，此后启动的每个程序都能读取",
    ),
    "wiz.detected": ("Detected: {os}, current shell {shell}.", "检测到：{os}，当前 shell 为 {shell}。"),
    "os.linux": ("Linux", "Linux"),
    "os.macos": ("macOS", "macOS"),
    "os.windows": ("Windows", "Windows"),
    "wiz.current": ("(current)", "（当前）"),
    "wiz.not_installed": ("not installed", "未安装"),
    "wiz.shells": ("Which shells should get the key?", "要为哪些 shell 配置密钥？"),
    "wiz.key_existing": ("A key is already configured. Use it?", "已经配置过一个密钥，是否继续使用？"),
    "wiz.key_reuse_env": (
        "Use the key in DASHSCOPE_API_KEY: {mask} ({length} characters)",
        "使用 DASHSCOPE_API_KEY 中的密钥：{mask}（{length} 个字符）",
    ),
    "wiz.key_reuse_stored": (
        "Use the stored key: {mask} ({length} characters)",
        "使用已保存的密钥：{mask}（{length} 个字符）",
    ),
    "wiz.key_replace": ("Enter a new key", "输入新的密钥"),
    "wiz.key_hint": (
        "No key yet? Create one (it is shown only once):",
        "还没有 API Key？请在控制台创建（密钥只显示一次）：",
    ),
    "wiz.key_console_cn": ("China: {url}", "中国内地：{url}"),
    "wiz.key_console_intl": ("Intl: {url}", "国际站：{url}"),
    "wiz.key_prompt": ("API key (sk-…, input hidden):", "API Key（sk-…，输入不显示）："),
    "wiz.key_received": ("✓ Received {mask} ({length} characters).", "✓ 已收到 {mask}（{length} 个字符）。"),
    "wiz.region": ("Which region does the key belong to?", "密钥属于哪个地域？"),
    "wiz.region_auto": ("Find out automatically (recommended)", "自动检测（推荐）"),
    "wiz.region_custom": (
        "Custom base URL (workspace, finance cloud, gateway)…",
        "自定义接入地址（专属工作空间、金融云、网关）…",
    ),
    "wiz.region_workspace_only": ("{region} (workspace only)", "{region}（仅业务空间）"),
    "wiz.workspace": (
        "Workspace ID (the host is <ID>.{region}.maas.aliyuncs.com):",
        "业务空间 ID（接入地址为 <ID>.{region}.maas.aliyuncs.com）：",
    ),
    "wiz.base_url": ("OpenAI-compatible base URL:", "OpenAI 兼容接入地址："),
    "wiz.region_found": ("✓ The key belongs to {region}.", "✓ 密钥属于{region}。"),
    "wiz.store": ("Where should the key be kept?", "密钥保存在哪里？"),
    "wiz.store_line": ("{label}: {why}", "{label}：{why}"),
    "wiz.store_file": (
        "Key file ~/.dashscope/api_key (recommended)",
        "密钥文件 ~/.dashscope/api_key（推荐）",
    ),
    "wiz.store_file_why": (
        "Mode 0600, readable by you only; the official SDK reads it too. Plain text on disk.",
        "权限 0600，仅你本人可读；官方 SDK 也会读取。以明文保存在磁盘上。",
    ),
    "wiz.store_keyring": ("System keyring", "系统密钥环"),
    "wiz.store_keyring_why": (
        "No plain-text copy on disk; the keyring must be unlocked when a shell starts.",
        "磁盘上没有明文副本；打开 shell 时密钥环需处于解锁状态。",
    ),
    "wiz.store_inline": (
        "Inside the startup file (as the guide does)",
        "直接写在启动文件中（与官方文档相同）",
    ),
    "wiz.store_inline_why": (
        "Simplest, but the key sits in your dotfiles, which may end up in a git repository.",
        "最简单，但密钥会出现在你的配置文件中，而这些文件可能被提交到 git 仓库。",
    ),
    "wiz.store_userenv": (
        "Windows user environment (as setx does)",
        "Windows 用户环境变量（与 setx 相同）",
    ),
    "wiz.store_userenv_why": (
        "Every program started from now on gets it, IDEs included; kept in plain text in your user registry.",
        "此后启动的所有程序（包括 IDE）都能读取；以明文保存在你的用户注册表中。",
    ),
    "wiz.scope": ("For how long?", "生效范围？"),
    "wiz.scope_persistent": ("Every new terminal (permanent)", "所有新终端（永久）"),
    "wiz.scope_session": ("This terminal only (nothing is saved)", "仅当前终端（不保存任何内容）"),
    "wiz.summary": ("These changes will be made:", "将进行以下修改："),
    "wiz.confirm": ("Go ahead?", "是否继续？"),
    "wiz.confirm_write": (
        "Check the key with a live call, then write these changes",
        "先用在线调用检查密钥，然后写入这些修改",
    ),
    "wiz.confirm_diff": ("Show the exact changes (diff)", "查看具体修改（diff）"),
    "wiz.confirm_quit": ("Quit without changing anything", "退出，不做任何修改"),
    "wiz.ready": (
        "Ready to set up (defaults; change any of them with Change…):",
        "即将配置（均为默认值，可通过“修改…”更改）：",
    ),
    "wiz.sum_key": ("Key:     {mask} ({length} characters)", "密钥：  {mask}（{length} 个字符）"),
    "wiz.sum_region": ("Region:  {region}", "地域：  {region}"),
    "wiz.sum_checked": ("✓ the key works there", "✓ 密钥在该地域可用"),
    "wiz.sum_not_checked": ("! not verified", "! 未验证"),
    "wiz.sum_region_found": ("✓ the key belongs there", "✓ 密钥属于该地域"),
    "wiz.sum_call_failed": (
        "Check:   ✗ the test call failed (see above)",
        "检查：  ✗ 测试调用未通过（见上文）",
    ),
    "wiz.sum_shells": ("Shells:  {shells}", "Shell： {shells}"),
    "wiz.sum_store": ("Kept in: {store}", "保存于：{store}"),
    "wiz.sum_foreign_on": (
        "A hand-made export at {where} will be commented out",
        "{where} 处手写的 export 将被注释掉",
    ),
    "wiz.sum_foreign_off": (
        "A hand-made export at {where} will be left as it is",
        "{where} 处手写的 export 将保持不变",
    ),
    "wiz.sum_history_on": (
        "{count} shell-history entries hold the key: they will be removed",
        "有 {count} 条 shell 历史记录包含密钥：将被删除",
    ),
    "wiz.sum_history_off": (
        "{count} shell-history entries hold the key: they will be left as they are",
        "有 {count} 条 shell 历史记录包含密钥：将保持不变",
    ),
    "wiz.confirm_go": ("Go ahead", "开始配置"),
    "wiz.confirm_change": ("Change…", "修改…"),
    "wiz.change_what": ("What should change?", "要修改什么？"),
    "wiz.change_store": (
        "Where the key is kept (or this terminal only)",
        "密钥保存位置（或仅当前终端）",
    ),
    "wiz.change_shells": ("Which shells get the key", "为哪些 shell 配置"),
    "wiz.change_region": ("Region (found from the key, or chosen)", "地域（按密钥自动检测，或手动选择）"),
    "wiz.change_lang": ("Language / 语言", "语言 / Language"),
    "wiz.change_foreign": ("Hand-made exports", "手写的 export"),
    "wiz.change_history": ("Shell-history entries holding the key", "包含密钥的 shell 历史记录"),
    "wiz.fail_what": ("What now?", "接下来怎么做？"),
    "wiz.fail_key": ("Enter the key again", "重新输入密钥"),
    "wiz.fail_region": ("Pick another region", "选择其他地域"),
    "wiz.fail_retry": ("Try again", "重试"),
    "wiz.fail_use_session": (
        "Use it in this terminal anyway (check again later with `{prog} test`)",
        "仍在此终端中使用（稍后用 `{prog} test` 再检查）",
    ),
    "wiz.fail_save": (
        "Save anyway (check again later with `{prog} test`)",
        "仍然保存（稍后用 `{prog} test` 再检查）",
    ),
    "wiz.fail_quit": ("Quit without changing anything", "退出，不做任何修改"),
    # a second run: what is set up already, and what to do with it
    "wiz.again": (
        "Already set up: {key}, {region}, {store}, {shells}",
        "已配置：{key}，{region}，{store}，{shells}",
    ),
    "wiz.again_what": ("What now?", "接下来做什么？"),
    "wiz.again_keep": ("Keep it (check it now)", "保持不变（现在检查一下）"),
    "wiz.again_replace": ("Replace the key", "更换密钥"),
    "wiz.again_change": ("Change region, store or shells", "修改地域、保存位置或 shell"),
    "wiz.again_remove": ("Remove", "移除"),
    "wiz.again_store_file": ("key file", "密钥文件"),
    "wiz.again_store_keyring": ("system keyring", "系统密钥环"),
    "wiz.again_store_inline": ("inside the startup file", "启动文件内"),
    "wiz.again_store_userenv": ("Windows user environment", "Windows 用户环境变量"),
    "wiz.again_no_shells": ("no shell", "无 shell"),
    "wiz.yes": ("Yes", "是"),
    "wiz.no": ("No", "否"),
    "wiz.delete_old_key_file": (
        "The old key file {path} still holds a key on disk. Delete it?",
        "旧的密钥文件 {path} 仍在磁盘上保存着密钥。是否删除？",
    ),
    # remove, on a terminal
    "wiz.remove_summary": ("remove will make these changes:", "remove 将进行以下修改："),
    "wiz.remove_confirm": ("Go ahead?", "是否继续？"),
    "wiz.remove_all": ("Remove all of it", "全部删除"),
    "wiz.remove_keep_key": (
        "Remove all of it but keep the key ({path})",
        "全部删除，但保留密钥（{path}）",
    ),
    "wiz.remove_quit": ("Quit without changing anything", "退出，不做任何修改"),
    # Each language by its own name, whichever language is asking.
    "wiz.lang_zh": ("中文", "中文"),
    "wiz.lang_en": ("English", "English"),
}
