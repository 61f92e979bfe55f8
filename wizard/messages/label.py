"""Catalogue entries for the words of a rendered report: headings (``label.*``), what happened to
a file (``action.*``), what a file is (``what.*``), where the key came from (``source.*``) and
``region.custom`` -> (English, 中文).

Data, not code. The renderer builds ids from report fields (``action.<action>``,
``what.<what>``, ``source.<source>``), so each value those fields take has an entry here.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "source.prompt": ("typed in", "手动输入"),
    # labels
    "label.key": ("Key", "密钥"),
    "label.check": ("Live check", "在线检查"),
    # `samples`: a comment heading over each language when all three print
    "samples.heading.python": ("# Python — pip install openai", "# Python 示例：pip install openai"),
    "samples.heading.node": (
        "// Node.js — npm install openai; save as hello.mjs",
        "// Node.js 示例：npm install openai，保存为 hello.mjs",
    ),
    "samples.heading.curl": ("# curl", "# curl 示例"),
    "label.curl_sample_unsafe": (
        "REM No curl line for CMD: the base URL holds % or !, which CMD would expand. "
        "Run curl from PowerShell instead.",
        "REM 此处不提供 CMD 的 curl 命令：基础 URL 中含有 % 或 !，CMD 会对其展开。请改在 PowerShell 中运行 curl。",
    ),
    "label.reply": ("Reply", "回复"),
    "label.key_value": ("{mask} ({length} characters)", "{mask}（{length} 个字符）"),
    "label.region": ("Region", "地域"),
    "label.store": ("Stored in", "存储位置"),
    "label.store_inline": ("the startup block itself (inline)", "启动文件区块内（inline）"),
    "label.shells": ("Shells", "Shell"),
    "label.changes": ("Changes", "修改"),
    "label.dry_run": (
        "Dry run: nothing was written. This is what would change:",
        "演练模式：未写入任何内容。将会进行以下修改：",
    ),
    "label.done": ("Done.", "完成。"),
    "label.removed_done": ("Removed.", "已删除。"),
    "label.nothing_to_remove": (
        "Nothing to remove: dashscope-setup found no block, key or file of its own.",
        "无需删除：没有找到 dashscope-setup 写入的区块、密钥或文件。",
    ),
    "label.warning": ("Note", "注意"),
    "label.error": ("Error", "错误"),
    "action.created": ("created", "已创建"),
    "action.modified": ("updated", "已更新"),
    "action.unchanged": ("unchanged", "无变化"),
    "action.removed": ("removed", "已删除"),
    "action.would-create": ("would create", "将创建"),
    "action.would-modify": ("would update", "将更新"),
    "action.would-remove": ("would remove", "将删除"),
    "action.will-create": ("will create", "将创建"),
    "action.will-modify": ("will update", "将更新"),
    "action.will-remove": ("will remove", "将删除"),
    "action.deleted": ("deleted", "已删除"),
    "action.would-delete": ("would delete", "将删除"),
    "action.will-delete": ("will delete", "将删除"),
    "action.restored": ("restored", "已恢复"),
    "action.would-restore": ("would restore", "将恢复"),
    "action.will-restore": ("will restore", "将恢复"),
    # Whole sentences for what remove does, where "removed ~/.zshrc" would not say whether the file
    # or only our block went: change.<action>.<what>, with {path}.
    "change.removed.block": ("removed our block from {path}", "已从 {path} 中删除我们的区块"),
    "change.would-remove.block": ("would remove our block from {path}", "将从 {path} 中删除我们的区块"),
    "change.will-remove.block": ("will remove our block from {path}", "将从 {path} 中删除我们的区块"),
    "change.deleted.block": (
        "deleted {path} (setup had created it, for our block only)",
        "已删除 {path}（该文件由 setup 创建，只含我们的区块）",
    ),
    "change.would-delete.block": (
        "would delete {path} (setup had created it, for our block only)",
        "将删除 {path}（该文件由 setup 创建，只含我们的区块）",
    ),
    "change.will-delete.block": (
        "will delete {path} (setup had created it, for our block only)",
        "将删除 {path}（该文件由 setup 创建，只含我们的区块）",
    ),
    "change.deleted.owned-file": (
        "deleted {path} (setup had created it)",
        "已删除 {path}（该文件由 setup 创建）",
    ),
    "change.would-delete.owned-file": (
        "would delete {path} (setup had created it)",
        "将删除 {path}（该文件由 setup 创建）",
    ),
    "change.will-delete.owned-file": (
        "will delete {path} (setup had created it)",
        "将删除 {path}（该文件由 setup 创建）",
    ),
    "change.deleted.key-file": (
        "deleted the key file {path} (setup had created it)",
        "已删除密钥文件 {path}（该文件由 setup 创建）",
    ),
    "change.would-delete.key-file": (
        "would delete the key file {path} (setup had created it)",
        "将删除密钥文件 {path}（该文件由 setup 创建）",
    ),
    "change.will-delete.key-file": (
        "will delete the key file {path} (setup had created it)",
        "将删除密钥文件 {path}（该文件由 setup 创建）",
    ),
    "change.restored.foreign-export": (
        "restored the lines --disable-foreign had commented out in {path}",
        "已恢复 {path} 中被 --disable-foreign 注释掉的行",
    ),
    "change.would-restore.foreign-export": (
        "would restore the lines --disable-foreign had commented out in {path}",
        "将恢复 {path} 中被 --disable-foreign 注释掉的行",
    ),
    "change.will-restore.foreign-export": (
        "will restore the lines --disable-foreign had commented out in {path}",
        "将恢复 {path} 中被 --disable-foreign 注释掉的行",
    ),
    "what.key-file": ("key file, mode 0600", "密钥文件，权限 0600"),
    "what.block": ("managed block", "托管区块"),
    "what.owned-file": ("file of its own", "独立配置文件"),
    "label.store_userenv": (
        "the Windows user environment (HKCU\\Environment)",
        "Windows 用户环境变量（HKCU\\Environment）",
    ),
    "what.history": ("shell history", "shell 历史记录"),
    "what.backup": ("backup", "备份"),
    "what.foreign-export": ("line(s) disabled", "已停用的行"),
    "what.temp": ("unfinished temporary file", "未完成的临时文件"),
    "what.dotenv": (".env block, with the key", ".env 中的标记块，含密钥"),
    "what.gitignore": (".gitignore line for the .env", ".env 对应的 .gitignore 规则"),
    "what.qwen-settings": ("Qwen Code settings entry", "Qwen Code 设置条目"),
    "label.sources": ("Sources", "来源"),
    "label.history": ("Shell history", "Shell 历史记录"),
    "region.custom": ("custom endpoint", "自定义接入点"),
    "region.the_custom": ("the custom endpoint", "自定义端点"),
    "region.unknown": ("an unknown region", "未知地域"),
    "region.cn-beijing": ("China (Beijing)", "华北2（北京）"),
    "region.ap-southeast-1": ("Singapore", "新加坡"),
    "region.us-east-1": ("US (Virginia)", "美国（弗吉尼亚）"),
    "region.cn-hongkong": ("China (Hong Kong)", "中国香港"),
    "region.eu-central-1": ("Germany (Frankfurt)", "德国（法兰克福）"),
    "region.ap-northeast-1": ("Japan (Tokyo)", "日本（东京）"),
    "label.list_sep": (", ", "、"),
    "source.stdin": ("from standard input", "来自标准输入"),
    "source.env": ("from the environment variable DASHSCOPE_API_KEY", "来自环境变量 DASHSCOPE_API_KEY"),
    "source.key-file": ("from the file {path} (--key-file)", "来自文件 {path}（--key-file）"),
    "source.stored": ("stored by an earlier setup in {where}", "来自之前配置时保存的位置：{where}"),
    "label.not_checked": ("not checked", "未验证"),
    "label.assumed": ("assumed, not checked", "默认值，未验证"),
    "label.would_store": ("Would store in", "将存储于"),
    "label.would_shells": ("Would set up shells", "将配置的 shell"),
}
