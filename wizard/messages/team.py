"""Catalogue entries for the team file and `status --check`: ``team.*`` -> (English, 中文).

Parameters are paths, line numbers, setting names, region ids, store kinds and masks: never a key
(a value quoted back from the team file is redacted first).
"""

from __future__ import annotations

from wizard.messages import keyring

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the team file: refusals (exit 2), each naming the file and the line ----------------------
    "team.err.missing": (
        "The team file {path} does not exist (given by --config or {var}).",
        "团队配置文件 {path} 不存在（由 --config 或 {var} 指定）。",
    ),
    "team.err.unreadable": (
        "Cannot read the team file {path}: {error}.",
        "无法读取团队配置文件 {path}：{error}。",
    ),
    "team.err.too_big": (
        "The team file {path} is larger than {max} bytes: it is not a team file.",
        "团队配置文件 {path} 超过 {max} 字节，不像是团队配置文件。",
    ),
    "team.err.encoding": (
        "{path}, line {line}: the team file is not UTF-8 text.",
        "{path} 第 {line} 行：团队配置文件不是 UTF-8 文本。",
    ),
    "team.err.syntax": (
        "{path}, line {line}, column {column}: not valid TOML ({detail}).",
        "{path} 第 {line} 行第 {column} 列：不是有效的 TOML（{detail}）。",
    ),
    "team.err.secret": (
        "{path}, line {line}: this looks like an API key. The team file is shared: it must never hold a "
        "key. Delete the line, and if the file was already shared, create a new key in the console and "
        "delete this one.",
        "{path} 第 {line} 行：这看起来是一个 API Key。团队配置文件会被共享，绝不能包含密钥。"
        "请删除该行；如果文件已经共享出去，请在控制台创建新密钥并删除这个密钥。",
    ),
    "team.err.secret_setting": (
        "{path}, line {line}: “{setting}” would hold a secret. The team file is shared and holds no keys: "
        "each machine gets its key from stdin, a key file or the wizard.",
        "{path} 第 {line} 行：“{setting}”用于保存机密信息。团队配置文件会被共享，不能包含密钥："
        "每台机器的密钥应通过标准输入、密钥文件或向导提供。",
    ),
    "team.err.unknown": (
        "{path}, line {line}: unknown setting “{setting}”. Known settings: {known}.",
        "{path} 第 {line} 行：未知设置“{setting}”。可用的设置：{known}。",
    ),
    "team.err.not_text": (
        '{path}, line {line}: {setting} must be a text value in quotes, e.g. {setting} = "…".',
        '{path} 第 {line} 行：{setting} 必须是带引号的文本，例如 {setting} = "…"。',
    ),
    "team.err.not_list": (
        '{path}, line {line}: {setting} must be a list of texts, e.g. {setting} = ["…"].',
        '{path} 第 {line} 行：{setting} 必须是文本列表，例如 {setting} = ["…"]。',
    ),
    "team.err.empty": (
        "{path}, line {line}: {setting} is empty; give a value or leave the line out.",
        "{path} 第 {line} 行：{setting} 为空；请填写取值，或删除该行。",
    ),
    "team.err.choice": (
        "{path}, line {line}: {setting} “{value}” is not one of: {choices}.",
        "{path} 第 {line} 行：{setting} 的取值“{value}”无效，可选：{choices}。",
    ),
    "team.err.workspace": (
        "{path}, line {line}: “{value}” is not a workspace id: it must start with a letter or digit and have "
        "at most 64 letters, digits, _ or -.",
        "{path} 第 {line} 行：“{value}”不是有效的业务空间 ID：须以字母或数字开头，最多 64 个字母、数字、_ 或 -。",
    ),
    "team.err.base_url": (
        "{path}, line {line}: base_url must be an https:// URL with a host name, without spaces or "
        "user:password@; plain http:// only to this machine, unless {var}=1 is set.",
        "{path} 第 {line} 行：base_url 必须是带主机名的 https:// 地址，不能包含空格或 user:password@；"
        "明文 http:// 只允许指向本机，除非设置了 {var}=1。",
    ),
    "team.err.base_url_and_region": (
        "{path}, line {line}: base_url replaces region and workspace; set either base_url or region "
        "(with workspace), not both.",
        "{path} 第 {line} 行：base_url 会取代 region 和 workspace；请只设置 base_url，或只设置 region（可加 workspace）。",
    ),
    "team.err.needs_workspace": (
        '{path}, line {line}: region {region} is reached only through a workspace: add workspace = "<id>".',
        '{path} 第 {line} 行：地域 {region} 只能通过业务空间访问：请添加 workspace = "<ID>"。',
    ),
    "team.err.workspace_without_region": (
        '{path}, line {line}: a workspace belongs to one region: add region = "<region>" beside it.',
        '{path} 第 {line} 行：业务空间属于某一个地域：请同时设置 region = "<地域>"。',
    ),
    "team.err.model": (
        "{path}, line {line}: “{value}” is not a model name.",
        "{path} 第 {line} 行：“{value}”不是有效的模型名称。",
    ),
    "team.err.store_not_allowed": (
        "--store {store} is not allowed by the team file {path}, which keeps the key in: {allowed}. "
        "Leave out --store, or choose one of those.",
        "团队配置文件 {path} 不允许 --store {store}，团队只允许把密钥保存在：{allowed}。"
        "请去掉 --store，或从中选择一种。",
    ),
    # --- the wizard under a team file --------------------------------------------------------------
    "team.wiz.welcome": (
        "This sets DASHSCOPE_API_KEY up for you with your team's settings from {path}: it {check}, then "
        "keeps it where the team allows (stores: {stores}) and adds a small marked block to the startup "
        "file of each shell you pick. Nothing is written before you confirm; `{prog} remove` undoes it all.",
        "本向导将按团队配置文件 {path} 中的设置为你配置 DASHSCOPE_API_KEY：{check}，"
        "然后把密钥保存在团队允许的位置（存储方式：{stores}），并在你选择的每个 shell 的启动文件中加入一个带标记的小区块。"
        "确认之前不会写入任何内容；`{prog} remove` 可撤销全部修改。",
    ),
    # --- status --check ----------------------------------------------------------------------------
    "team.check.ok": (
        "This machine complies with the team settings in {path}.",
        "本机符合团队配置文件 {path} 中的设置。",
    ),
    "team.check.ok_plain": (
        "This machine complies: a key is configured, without conflicts.",
        "本机符合要求：已配置密钥，且没有冲突。",
    ),
    "team.check.failed": (
        "This machine does not comply with the team settings in {path}. Deviations: {count}",
        "本机不符合团队配置文件 {path} 中的设置。偏差：{count} 处",
    ),
    "team.check.failed_plain": (
        "This machine does not comply. Deviations: {count}",
        "本机不符合要求。偏差：{count} 处",
    ),
    "team.check.fix": ("fix: {command}", "修复：{command}"),
    "team.check.fix_by_hand": ("fix: by hand, as said above", "修复：按上文说明手动处理"),
    "team.dev.no_key": (
        "No key is configured: new terminals and programs get no DASHSCOPE_API_KEY.",
        "未配置密钥：新开的终端和程序都得不到 DASHSCOPE_API_KEY。",
    ),
    "team.dev.region": (
        "The key is set up for {actual}; the team uses {expected}.",
        "密钥配置的地域是 {actual}；团队使用的是 {expected}。",
    ),
    "team.dev.region_unrecorded": (
        "No region is recorded for the key (the SDK then uses Beijing); the team uses {expected}.",
        "密钥没有记录地域（SDK 将默认使用北京）；团队使用的是 {expected}。",
    ),
    "team.dev.base_url": (
        "The key is set up for {actual}; the team uses {expected}.",
        "密钥配置的服务地址是 {actual}；团队使用的是 {expected}。",
    ),
    "team.dev.workspace": (
        "The key is set up for workspace {actual}; the team uses workspace {expected}.",
        "密钥配置的业务空间是 {actual}；团队使用的是业务空间 {expected}。",
    ),
    "team.dev.no_workspace": (
        "The key is not set up for a workspace; the team uses workspace {expected}.",
        "密钥没有配置业务空间；团队使用的是业务空间 {expected}。",
    ),
    "team.dev.store": (
        "The key is kept in the “{store}” store; the team allows only: {allowed}.",
        "密钥保存在“{store}”存储中；团队只允许：{allowed}。",
    ),
    "team.dev.store_unmanaged": (
        "The key was not saved by dashscope-setup; the team keeps it in: {allowed}.",
        "密钥不是由 dashscope-setup 保存的；团队要求保存在：{allowed}。",
    ),
    "team.dev.plaintext": (
        "{path}, line {line} holds a key in plain text ({mask}); the team keeps keys only in: {allowed}.",
        "{path} 第 {line} 行以明文保存了密钥（{mask}）；团队只允许把密钥保存在：{allowed}。",
    ),
    "team.dev.conflict": (
        "{count} different keys are configured ({masks}): new shells and programs may get different ones.",
        "配置了 {count} 个不同的密钥（{masks}）：新开的 shell 和程序拿到的密钥可能各不相同。",
    ),
    "team.dev.live": ("The live check of the configured key failed.", "对已配置密钥的在线检查失败。"),
    "team.dev.shell": (
        "New {shell} terminals do not get the key; the team sets it up for: {shells}.",
        "新开的 {shell} 终端得不到密钥；团队要求为以下 shell 配置：{shells}。",
    ),
}


# A keyring refusal ends by offering the file store; where a team file does not allow it, the same
# message ends by saying what the team allows instead (`team.err.keyring_…`).
_FILE_EN, _FILE_ZH = keyring._FILE_EN, keyring._FILE_ZH
_SSH_EN, _SSH_ZH = " The file store works over SSH.", "文件方式在 SSH 下同样可用。"
_TEAM_EN = "Your team file {team_file} allows only: {allowed}."
_TEAM_ZH = "团队配置文件 {team_file} 只允许：{allowed}。"
MESSAGES.update(
    {
        "team." + msg_id: (
            en.replace(_FILE_EN + _SSH_EN, _FILE_EN).replace(_FILE_EN, _TEAM_EN),
            zh.replace(_FILE_ZH + _SSH_ZH, _FILE_ZH).replace(_FILE_ZH, _TEAM_ZH),
        )
        for msg_id, (en, zh) in keyring.MESSAGES.items()
        if _FILE_EN in en and _FILE_ZH in zh
    }
)
