"""Catalogue entries for the consumers beyond the SDK (``consumer.*``): `--openai-env`, `--dotenv`
with `--gitignore`, `--qwen-code`, and what `status` says each consumer will use -> (English, 中文).

Data, not code. Parameters are paths, variable names, model and region names: never the key.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "consumer.warn.openai_env": (
        "OPENAI_API_KEY and OPENAI_BASE_URL now point at DashScope in these shells: every OpenAI client "
        "started there (the openai SDKs, tools built on them) sends its requests and this key to DashScope, "
        "not to OpenAI. `{prog} setup --no-openai-env` takes them out again.",
        "这些 shell 中的 OPENAI_API_KEY 与 OPENAI_BASE_URL 现在指向 DashScope：在其中启动的所有 OpenAI 客户端"
        "（openai SDK 及基于它的工具）都会把请求和此密钥发往 DashScope，而不是 OpenAI。"
        "运行 `{prog} setup --no-openai-env` 可再移除。",
    ),
    "consumer.warn.dotenv_readable": (
        "{path} can be read by other users, and now holds the key: chmod 600 it.",
        "{path} 可被其他用户读取，而它现在保存着密钥：请执行 chmod 600。",
    ),
    "consumer.warn.qwen_kept": (
        "{path} is no longer plain JSON (comments?), so our Qwen Code entry was left in it: delete the "
        'entry described "Added by dashscope-setup" by hand.',
        "{path} 已不是纯 JSON（含注释？），因此其中我们添加的 Qwen Code 条目未被删除："
        '请手动删除 description 为 "Added by dashscope-setup" 的条目。',
    ),
    "consumer.next.qwen_pick": (
        "Qwen Code's settings ({path}) already select another sign-in or model, which were left as they "
        "are: pick {model} with /model inside Qwen Code, or start it with qwen --model {model}.",
        "Qwen Code 的设置（{path}）已选定其他登录方式或模型，我们未做改动：请在 Qwen Code 中用 /model 选择 "
        "{model}，或用 qwen --model {model} 启动。",
    ),
    "consumer.ask_gitignore": (
        "{path} would hold the key, and git does not ignore it there. Add it to the .gitignore beside it?",
        "{path} 将保存密钥，而 git 在该位置不会忽略它。是否把它加入同目录的 .gitignore？",
    ),
    "consumer.err.dotenv_dir": (
        "The folder for the .env does not exist: {path}.",
        ".env 所在的文件夹不存在：{path}。",
    ),
    "consumer.err.dotenv_value": (
        "{name} cannot be written into a .env: its value holds a quote or a line break.",
        "无法把 {name} 写入 .env：其值包含引号或换行。",
    ),
    "consumer.err.dotenv_tracked": (
        "{path} is tracked by git: a key written there would be in the next commit. Nothing was written. "
        "Stop tracking it first (git rm --cached), add it to .gitignore, and run setup again.",
        "{path} 已被 git 跟踪：写入其中的密钥会进入下一次提交。未写入任何内容。请先取消跟踪"
        "（git rm --cached），把它加入 .gitignore，再重新运行 setup。",
    ),
    "consumer.err.dotenv_not_ignored": (
        "{path} is in a git work tree that does not ignore it: a key written there is one commit from "
        "public. Nothing was written. Add --gitignore to have it added to the .gitignore beside it, or "
        "add it to .gitignore yourself.",
        "{path} 位于 git 工作区内且未被忽略：写入其中的密钥一次提交就可能公开。未写入任何内容。"
        "加上 --gitignore 可把它加入同目录的 .gitignore，或自行把它加入 .gitignore。",
    ),
    "consumer.err.still_not_ignored": (
        "git still does not ignore {path} after the line added to .gitignore (a rule elsewhere brings it "
        "back?): the key was not written there. `{prog} remove` takes out what was written.",
        "在 .gitignore 中添加规则后，git 仍未忽略 {path}（其他规则又把它包含进来了？）：密钥未写入该文件。"
        "运行 `{prog} remove` 可撤销已写入的内容。",
    ),
    "consumer.err.qwen_unreadable": (
        "{path} is not plain JSON (Qwen Code also accepts comments, which a rewrite would lose): it was "
        "left as it is. Add the entry by hand (see the README), or remove the comments and run setup again.",
        "{path} 不是纯 JSON（Qwen Code 也接受注释，改写会丢失它们）：未做改动。请手动添加条目（见 README），"
        "或删除注释后重新运行 setup。",
    ),
    "consumer.err.qwen_shape": (
        "{path} is not the shape Qwen Code documents (an object whose modelProviders.openai is a list): "
        "it was left as it is. Fix or move it, and run setup again.",
        "{path} 不符合 Qwen Code 文档规定的结构（对象，且 modelProviders.openai 为列表）：未做改动。"
        "请修正或移走该文件后重新运行 setup。",
    ),
    "consumer.err.session_scope": (
        "--dotenv and --qwen-code write files for later: they need --scope persistent.",
        "--dotenv 与 --qwen-code 会写入供以后使用的文件：需要 --scope persistent。",
    ),
    # status: what each consumer will use
    "consumer.title": (
        "What each program started from a new terminal in {cwd} will use:",
        "在 {cwd} 中从新终端启动的各程序将使用：",
    ),
    "consumer.name.dashscope-sdk": ("dashscope SDK", "dashscope SDK"),
    "consumer.name.openai-sdk": ("OpenAI SDK (OPENAI_*)", "OpenAI SDK (OPENAI_*)"),
    "consumer.name.qwen-code": ("Qwen Code", "Qwen Code"),
    "consumer.line": ("{name}: {key}; {url}", "{name}：{key}；{url}"),
    "consumer.line_notes": ("{name}:", "{name}："),
    "consumer.line_no_url": ("{name}: {key}", "{name}：{key}"),
    "consumer.key": ("key {mask} from {var} ({origin})", "密钥 {mask}，来自 {var}（{origin}）"),
    "consumer.no_key": ("no key ({var} is not set)", "没有密钥（{var} 未设置）"),
    "consumer.url": ("endpoint {url} ({origin})", "端点 {url}（{origin}）"),
    "consumer.from.setup": ("set by dashscope-setup for new terminals", "由 dashscope-setup 为新终端设置"),
    "consumer.from.copy": ("a copy of {var}, made in new terminals", "新终端中 {var} 的副本"),
    "consumer.from.terminal": ("only in this terminal's environment", "仅在当前终端的环境中"),
    "consumer.from.dotenv": ("{path}, loaded by Qwen Code", "{path}，由 Qwen Code 加载"),
    "consumer.from.settings": ('"env" in {path}', '{path} 中的 "env"'),
    "consumer.from.entry": ("entry for model {var} in {path}", "{path} 中模型 {var} 的条目"),
    "consumer.from.default": ("its default", "其默认值"),
    "consumer.from.none": ("not set", "未设置"),
    "consumer.from.shell": ("new terminals", "新终端"),
    "consumer.note.qwen_other_auth": (
        "Qwen Code signs in with {auth} ({path}), not with an API key from the environment.",
        "Qwen Code 使用 {auth} 登录（{path}），而不是环境中的 API 密钥。",
    ),
    "consumer.note.qwen_no_auth": (
        "Qwen Code has no sign-in chosen ({path}): it will ask with /auth. `{prog} setup --qwen-code` chooses one.",
        "Qwen Code 尚未选择登录方式（{path}）：它会通过 /auth 询问。运行 `{prog} setup --qwen-code` 可为其选定。",
    ),
    "consumer.note.qwen_no_entry": (
        "{path} selects model {model}, which has no modelProviders.openai entry: Qwen Code falls back to "
        "OPENAI_API_KEY and OPENAI_BASE_URL.",
        "{path} 选定的模型 {model} 在 modelProviders.openai 中没有条目：Qwen Code 将改用 OPENAI_API_KEY 与 "
        "OPENAI_BASE_URL。",
    ),
    "consumer.note.qwen_unreadable": (
        "{path} is not plain JSON here (comments?): not read.",
        "{path} 不是纯 JSON（含注释？）：未读取。",
    ),
}
