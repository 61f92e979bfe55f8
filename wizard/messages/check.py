"""Catalogue entries for the live check (wizard.check): ``check.*`` -> (English, 中文).

Data, not code, and long for it: each failure message says what happened, whether the key itself
is fine, and the next step. They are ``str.format`` templates; wizard.check fills these params for
every result, so any template may use them:
``region region_en region_zh console_url billing_url console_cn console_intl model key_mask base_url host port``.
HTTP diagnoses add ``status code server_message path content_type``; network ones ``detail`` (and
``seconds`` for timeouts). Message-specific params are named in the template itself.
The ``request_id`` is not inside the templates (it is absent on some failures); ``render`` appends it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported: the catalogue is loaded by `--help` too
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # --- progress and outcome (for the renderer; not diagnoses) -----------------------------------
    "check.stage.probing": (
        "Finding the region your key belongs to…",
        "正在确定密钥所属的地域…",
    ),
    "check.stage.calling": (
        "Calling {model} in {region_en}…",
        "正在调用{region_zh}的 {model}…",
    ),
    "check.stage.retrying": (
        "The service asked to slow down (HTTP 429); trying once more in {wait_s} s…",
        "服务端要求降低请求频率（HTTP 429），{wait_s} 秒后重试一次…",
    ),
    "check.stage.retrying_server": (
        "The service had a server error (HTTP {status}); trying once more in {wait_s} s…",
        "服务端出现错误（HTTP {status}），{wait_s} 秒后重试一次…",
    ),
    "check.ok": (
        "{model} answered from {region_en} in {latency_s} s (first token after {ttft_s} s, "
        "{total_tokens} tokens used).",
        "{region_zh}的 {model} 已回答，用时 {latency_s} 秒（首个 token {ttft_s} 秒，共用 {total_tokens} 个 token）。",
    ),
    "check.skipped": (
        "Live check skipped: the key was not tried against the service.",
        "已跳过在线检查：未向服务端验证该密钥。",
    ),
    "check.request_id": (
        "Request ID (support will ask for it): {request_id}",
        "请求 ID（联系技术支持时请提供）：{request_id}",
    ),
    # --- the key itself, before any request --------------------------------------------------------
    "check.key_missing": (
        "There is no API key to check. Provide one with --key-stdin, --key-file or --use-env.",
        "没有可检查的 API Key。请通过 --key-stdin、--key-file 或 --use-env 提供。",
    ),
    "check.key_malformed": (
        "The key contains a space, line break or non-ASCII character at position {pos}; it was probably "
        "copied together with other text. Copy only the sk-… part from the console again. "
        "Nothing was sent.",
        "密钥第 {pos} 个字符是空格、换行或非 ASCII 字符，可能复制时带上了多余内容。"
        "请从控制台重新复制 sk-… 部分。未发送任何请求。",
    ),
    "check.key_temporary": (
        "This is a temporary token (st-…), which expires within 30 minutes, so it cannot be set up for good. "
        "Create a permanent API key (sk-…) in the console (China: {console_cn}; international: "
        "{console_intl}). Nothing was sent.",
        "这是临时 Token（st-…），30 分钟内就会失效，不能用于长期配置。"
        "请在控制台创建正式的 API Key（sk-…）（中国内地：{console_cn}；国际：{console_intl}）。未发送任何请求。",
    ),
    "check.key_coding_plan": (
        "This is a plan key (sk-sp-…: Coding Plan or Token Plan). It works only on its plan's own endpoint "
        "(Coding Plan: {coding_cn}, international {coding_intl}; Token Plan: {token_cn}, international "
        "{token_intl}); the pay-as-you-go endpoints reject it with 401, so nothing was sent. A Coding Plan key "
        "is meant for interactive coding tools (Qwen Code, Claude Code, OpenClaw…), not for scripts or the "
        "DashScope SDK: https://www.alibabacloud.com/help/en/model-studio/other-tools-coding-plan . For the SDK "
        "use a pay-as-you-go key (sk-…); to check a plan key, pass its endpoint with --base-url and a model "
        "the plan serves with --model.",
        "这是套餐密钥（sk-sp-…，Coding Plan 或 Token Plan），只能用于所属套餐的专属端点（Coding Plan：{coding_cn}，"
        "国际站 {coding_intl}；Token Plan：{token_cn}，国际站 {token_intl}），按量付费端点会以 401 拒绝它，"
        "因此未发送请求。Coding Plan 密钥只用于交互式编程工具（Qwen Code、Claude Code、OpenClaw 等），"
        "不用于脚本或 DashScope SDK：https://help.aliyun.com/zh/model-studio/coding-plan-quickstart 。"
        "使用 SDK 请换用按量付费的密钥（sk-…）；要检查套餐密钥，请用 --base-url 指定其端点，"
        "并用 --model 指定该套餐提供的模型。",
    ),
    "check.unknown_region": (
        "Unknown region “{region}”. Known regions: {known}.",
        "未知地域“{region}”。可用地域：{known}。",
    ),
    # --- key rejected (401) ---------------------------------------------------------------------------
    "check.rejected_everywhere": (
        "Every region rejected the key {key_mask} (401 invalid_api_key): {regions_en}. Check that you "
        "copied the whole key; if in doubt, create a new one (China: {console_cn}; international: "
        "{console_intl}). A key of a workspace-dedicated endpoint (…maas.aliyuncs.com), of the finance "
        "cloud or of a Coding Plan works only there: pass that endpoint with --base-url.",
        "所有地域都拒绝了密钥 {key_mask}（401 invalid_api_key）：{regions_zh}。请确认密钥复制完整；"
        "如有疑问请新建一个（中国内地：{console_cn}；国际：{console_intl}）。"
        "业务空间专属端点（…maas.aliyuncs.com）、金融云或 Coding Plan 的密钥只能在对应端点使用，"
        "请用 --base-url 指定该端点。",
    ),
    "check.rejected": (
        "{region_en} rejected the key {key_mask} (401 invalid_api_key). Check that you copied the whole "
        "key, or create a new one in the console: {console_url}",
        "{region_zh}拒绝了密钥 {key_mask}（401 invalid_api_key）。请确认密钥复制完整，"
        "或在控制台新建一个：{console_url}",
    ),
    "check.rejected_in_region": (
        "{region_en} rejected the key {key_mask} (401 invalid_api_key). Keys only work in the region they "
        "were created in: run again without --region/--base-url to find the key's region, or create a "
        "key for {region_en} in its console: {console_url}",
        "{region_zh}拒绝了密钥 {key_mask}（401 invalid_api_key）。密钥只能在创建它的地域使用："
        "去掉 --region/--base-url 重新运行即可自动查找所属地域，或在该地域控制台新建密钥：{console_url}",
    ),
    "check.rejected_nowhere": (
        "{region_en} rejected the key {key_mask} (401 invalid_api_key), and no other region accepted it. "
        "Check that you copied the whole key, or create a new one in the console: {console_url}",
        "{region_zh}拒绝了密钥 {key_mask}（401 invalid_api_key），其他地域也没有接受它。"
        "请确认密钥复制完整，或在控制台新建一个：{console_url}",
    ),
    "check.rejected_configured": (
        "{region_en}, where the setup points, rejected the key {key_mask} (401 invalid_api_key), and no "
        "other region accepted it. Check that you copied the whole key, or create a new one in the "
        "console ({console_url}) and run `setup` again.",
        "当前配置指向的{region_zh}拒绝了密钥 {key_mask}（401 invalid_api_key），其他地域也没有接受它。"
        "请确认密钥复制完整，或在控制台（{console_url}）新建一个后重新运行 `setup`。",
    ),
    "check.key_belongs_flag": (
        "The key {key_mask} belongs to {owner_en}, not to {region_en}: a key works only in the region it "
        "was created in. Run the command again with --region {owner} in place of {flag}.",
        "密钥 {key_mask} 属于{owner_zh}，而不是{region_zh}：密钥只能在创建它的地域使用。"
        "请用 --region {owner} 代替 {flag} 重新运行该命令。",
    ),
    "check.key_belongs_chosen": (
        "The key {key_mask} belongs to {owner_en}, not to {region_en}: a key works only in the region it "
        "was created in. Pick another region below, and then {owner_en}.",
        "密钥 {key_mask} 属于{owner_zh}，而不是{region_zh}：密钥只能在创建它的地域使用。"
        "请在下面选择“选择其他地域”，然后选{owner_zh}。",
    ),
    "check.key_belongs_configured": (
        "The key {key_mask} belongs to {owner_en}, but the setup points at {region_en}: a key works only "
        "in the region it was created in. To point the setup at {owner_en} (with the stored key), run:\n"
        "    {cmd}",
        "密钥 {key_mask} 属于{owner_zh}，但当前配置指向{region_zh}：密钥只能在创建它的地域使用。"
        "如需把配置改为{owner_zh}（沿用已保存的密钥），请运行：\n    {cmd}",
    ),
    "check.rejected_custom": (
        "The endpoint {base_url} rejected the key {key_mask} (401 invalid_api_key). A workspace-dedicated "
        "endpoint accepts only keys of that workspace, and a Coding Plan endpoint only sk-sp- keys. Check "
        "the key and --base-url, or drop --base-url to let the tool find the key's region.",
        "端点 {base_url} 拒绝了密钥 {key_mask}（401 invalid_api_key）。业务空间专属端点只接受该空间的密钥，"
        "Coding Plan 端点只接受 sk-sp- 密钥。请检查密钥和 --base-url，或去掉 --base-url 让工具自动查找地域。",
    ),
    "check.detect_inconclusive": (
        "The key was rejected by {rejected_en}, but {unreachable_en} could not be reached ({detail}). The "
        "key may belong to a region that could not be reached: fix the network problem and try again, or "
        "name the key's region with --region.",
        "{rejected_zh}拒绝了该密钥，但无法连接{unreachable_zh}（{detail}）。密钥可能属于未能连接的地域："
        "请排除网络问题后重试，或用 --region 指定密钥所属地域。",
    ),
    # --- account and permission (the key is fine) -----------------------------------------------------
    "check.arrearage": (
        "The key is fine, but the account is overdue (Arrearage), so calls are refused. Top up or settle "
        "the bill in the Expenses and Costs console ({billing_url}); calls work again a few minutes later. "
        "A new key or another region would not help.",
        "密钥没有问题，但账号已欠费（Arrearage），调用被拒绝。请在费用与成本控制台（{billing_url}）"
        "充值或结清欠费，几分钟后即可恢复调用。更换密钥或地域都无济于事。",
    ),
    "check.access_denied": (
        "The key is fine, but Model Studio refused access (AccessDenied): the service is probably not "
        "activated for this account in {region_en}. Activate Model Studio in that region's console "
        "({console_url}) and run the check again.",
        "密钥没有问题，但百炼拒绝访问（AccessDenied）：该账号可能尚未在{region_zh}开通百炼服务。"
        "请在该地域控制台（{console_url}）开通后再运行检查。",
    ),
    "check.unpurchased": (
        "The key is fine, but {model} is not purchased or applied for on this account "
        "(AccessDenied.Unpurchased). Activate the service or apply for the model in the console of "
        "{region_en} ({console_url}), or test with another model (--model).",
        "密钥没有问题，但该账号尚未开通或申请 {model}（AccessDenied.Unpurchased）。"
        "请在{region_zh}控制台（{console_url}）开通服务或申请该模型，或用 --model 换一个模型测试。",
    ),
    "check.model_access_denied": (
        "The key is fine, but it may not use {model} (Model.AccessDenied). It is probably a key of a "
        "sub-workspace that has not been granted this model. Grant the model to the workspace in the "
        "console ({console_url}), or use a key of the main workspace.",
        "密钥没有问题，但它无权使用 {model}（Model.AccessDenied），通常是子业务空间的密钥且该空间未被授权此模型。"
        "请在控制台（{console_url}）为该业务空间授权模型，或改用主账号空间的密钥。",
    ),
    "check.free_tier_only": (
        "The key is fine, but the free quota of {model} is used up and “free tier only” is switched on, so "
        "paid calls are blocked (AllocationQuota.FreeTierOnly). Switch “free tier only” off in the console "
        "of {region_en} ({console_url}), or test with a model that still has free quota (--model).",
        "密钥没有问题，但 {model} 的免费额度已用完，且开启了“仅使用免费额度”，付费调用被阻止"
        "（AllocationQuota.FreeTierOnly）。请在{region_zh}控制台（{console_url}）关闭该设置，"
        "或用 --model 换一个仍有免费额度的模型测试。",
    ),
    "check.forbidden": (
        "The key was accepted, but the call was refused (HTTP {status}, {code}): an account or permission "
        "problem, not the key. Check the account and the model's permissions in the console of {region_en} "
        "({console_url}). The service said: {server_message}",
        "密钥已通过验证，但调用被拒绝（HTTP {status}，{code}）：这是账号或权限问题，与密钥本身无关。"
        "请在{region_zh}控制台（{console_url}）检查账号状态和模型权限。服务端信息：{server_message}",
    ),
    # --- model -----------------------------------------------------------------------------------------
    "check.model_not_found": (
        "The model “{model}” does not exist in {region_en}, or this key has no access to it "
        "(model_not_found). Pick a model offered in this region with --model (the default is qwen-plus).",
        "{region_zh}没有模型“{model}”，或该密钥无权访问（model_not_found）。"
        "请用 --model 选择该地域提供的模型（默认 qwen-plus）。",
    ),
    "check.model_not_found_case": (
        "The model “{model}” does not exist in {region_en} (model_not_found). Model names are "
        "case-sensitive: did you mean “{suggestion}”? Run again with --model {suggestion}.",
        "{region_zh}没有模型“{model}”（model_not_found）。模型名区分大小写，您是否想用“{suggestion}”？"
        "请用 --model {suggestion} 重新运行。",
    ),
    "check.model_not_supported": (
        "The model “{model}” has no OpenAI-compatible mode (model_not_supported), so a chat call cannot "
        "test it. The key may well be fine: test with a text chat model such as qwen-plus (--model qwen-plus).",
        "模型“{model}”不支持 OpenAI 兼容模式（model_not_supported），无法用对话请求测试。"
        "密钥本身可能没有问题：请用文本对话模型测试，例如 --model qwen-plus。",
    ),
    "check.model_bad_request": (
        "The model “{model}” refused a plain streamed chat request ({code}); it probably needs other input "
        "(an image, audio or special parameters). Test with a text chat model such as qwen-plus. The "
        "service said: {server_message}",
        "模型“{model}”拒绝了普通的流式对话请求（{code}），它可能需要其他输入（图片、音频或特殊参数）。"
        "请用文本对话模型测试，例如 qwen-plus。服务端信息：{server_message}",
    ),
    # --- rate limits (after one retry) -----------------------------------------------------------------
    "check.rate_limited": (
        "The key is fine, but requests are being rate-limited ({code}), also after waiting and trying once "
        "more. Wait a minute and run the check again; if it keeps happening, check the rate limits of "
        "{model} in the console ({console_url}).",
        "密钥没有问题，但请求被限流（{code}），等待并重试一次后仍然如此。请等一分钟后再运行检查；"
        "如果持续出现，请在控制台（{console_url}）查看 {model} 的限流设置。",
    ),
    "check.token_limit": (
        "The key is fine, but the per-minute token limit of {model} is reached (insufficient_quota). "
        "Despite the name this is NOT an empty balance: wait about a minute and run the check again.",
        "密钥没有问题，但已达到 {model} 每分钟的 token 限额（insufficient_quota）。"
        "虽然名称如此，这并不表示余额不足：请等待约一分钟后再运行检查。",
    ),
    # --- the service's own refusals ---------------------------------------------------------------------
    "check.content_blocked": (
        "The key and the account are fine — the service answered — but its content moderation blocked the "
        "test conversation (data_inspection_failed). The test prompt is fixed and harmless, so this is on "
        "the service's side: run the check again later.",
        "密钥和账号都没有问题（服务端已响应），但内容安全审核拦截了测试对话（data_inspection_failed）。"
        "测试提示词是固定且无害的，问题在服务端：请稍后再运行检查。",
    ),
    "check.bad_request": (
        "The service rejected the test request itself as invalid ({code}). This is a bug in dashscope-setup, "
        "not a problem with your key: please report it with the request ID. The service said: "
        "{server_message}",
        "服务端认为测试请求本身无效（{code}）。这是 dashscope-setup 的缺陷，与您的密钥无关："
        "请附上请求 ID 反馈给我们。服务端信息：{server_message}",
    ),
    "check.endpoint_not_found": (
        "{host} answered 404 Not Found for {path}: the base URL is probably wrong. An OpenAI-compatible base "
        "URL ends in /compatible-mode/v1 (Coding Plan: /v1). Check --base-url or DASHSCOPE_SETUP_REGION_URLS "
        "(now {base_url}).",
        "{host} 对 {path} 返回 404 Not Found：基础 URL 可能有误。OpenAI 兼容模式的基础 URL 以 "
        "/compatible-mode/v1 结尾（Coding Plan 为 /v1）。请检查 --base-url 或 DASHSCOPE_SETUP_REGION_URLS"
        "（当前为 {base_url}）。",
    ),
    "check.http_unexpected": (
        "Unexpected answer from {host}: HTTP {status} ({code}). The service said: {server_message}. Try again "
        "later; if it persists, report it with the request ID.",
        "{host} 返回了意外的响应：HTTP {status}（{code}）。服务端信息：{server_message}。"
        "请稍后重试；如果持续出现，请附上请求 ID 反馈。",
    ),
    "check.server_error": (
        "{host} answered with a server error (HTTP {status}, {code}): the service, or a gateway in front of "
        "it, failed to handle the request. That is a fault on the server's side, not a problem with your "
        "key. Try again in a few minutes; if it keeps happening, report it with the request ID.",
        "{host} 返回了服务端错误（HTTP {status}，{code}）：服务端（或其前面的网关）未能处理该请求。"
        "这是服务端的故障，与密钥无关。请过几分钟再试；如果持续出现，请附上请求 ID 反馈。",
    ),
    "check.malformed_body": (
        "{host} answered with something that is not an API response (HTTP {status}, {content_type}). A "
        "proxy, captive portal or gateway may be in the way: check the proxy settings, or open {base_url} "
        "in a browser to see who answers.",
        "{host} 返回的不是 API 响应（HTTP {status}，{content_type}）。可能有代理、认证门户或网关拦截："
        "请检查代理设置，或在浏览器中打开 {base_url} 查看是谁在响应。",
    ),
    "check.stream_truncated": (
        "The streamed answer from {host} stopped before it was complete ({detail}). A proxy or the network "
        "probably cut the connection: try again.",
        "{host} 的流式回答在完成前中断了（{detail}）。连接可能被代理或网络切断：请重试。",
    ),
    # --- network ---------------------------------------------------------------------------------------
    "check.dns_failed": (
        "The host name {host} could not be resolved (DNS failure: {detail}). Check the internet connection "
        "and DNS settings; if you passed --base-url, check its spelling.",
        "无法解析主机名 {host}（DNS 解析失败：{detail}）。请检查网络连接和 DNS 设置；"
        "如果使用了 --base-url，请检查拼写。",
    ),
    "check.connection_refused": (
        "{host}:{port} refused the connection: nothing accepts connections there. Check the base URL and "
        "port, or a firewall on the way.",
        "{host}:{port} 拒绝了连接：该地址没有服务在监听。请检查基础 URL 和端口，或沿途的防火墙。",
    ),
    "check.proxy_failed": (
        "The proxy could not be used ({detail}). A proxy is configured in HTTPS_PROXY, HTTP_PROXY or "
        "ALL_PROXY: make sure it is running and may reach {host}, or unset the variable if you no longer "
        "use a proxy.",
        "无法通过代理连接（{detail}）。HTTPS_PROXY、HTTP_PROXY 或 ALL_PROXY 中配置了代理："
        "请确认代理正在运行且允许访问 {host}；如果已不再使用代理，请删除该变量。",
    ),
    "check.proxy_auth": (
        "The proxy requires authentication (HTTP 407). Put the user name and password into the proxy URL "
        "(http://user:password@host:port) in HTTPS_PROXY, or ask your IT department.",
        "代理要求身份验证（HTTP 407）。请在 HTTPS_PROXY 的代理地址中加入用户名和密码"
        "（http://用户名:密码@主机:端口），或咨询 IT 部门。",
    ),
    "check.tls_verify": (
        "The TLS certificate presented for {host} could not be verified ({detail}). This usually means a "
        "corporate proxy or security software intercepts HTTPS. Get your organisation's root certificate "
        "(PEM) and point SSL_CERT_FILE at it, or install it in the operating system's certificate store "
        "(trusted too). Do not switch certificate verification off.",
        "无法验证 {host} 出示的 TLS 证书（{detail}）。这通常是公司代理或安全软件在拦截 HTTPS。"
        "请向 IT 部门索取公司根证书（PEM 格式），并用 SSL_CERT_FILE 指向该文件，或将其安装到操作系统的证书库中"
        "（同样会被信任）。请勿关闭证书验证。",
    ),
    "check.tls_error": (
        "The secure (TLS) connection to {host} failed ({detail}). Check the proxy settings and that the base "
        "URL uses https:// only for an HTTPS port.",
        "与 {host} 建立安全（TLS）连接失败（{detail}）。请检查代理设置，并确认基础 URL 中的 https:// 对应 HTTPS 端口。",
    ),
    "check.connect_timeout": (
        "Connecting to {host} timed out after {seconds} s. Check the network, firewall or proxy; "
        "international regions can be slow or blocked from some networks.",
        "连接 {host} 超时（{seconds} 秒）。请检查网络、防火墙或代理；在部分网络中访问国际地域可能很慢或被阻断。",
    ),
    "check.read_timeout": (
        "{host} accepted the connection but did not answer within {seconds} s. The service or a proxy may be "
        "overloaded: try again in a moment.",
        "{host} 已接受连接，但 {seconds} 秒内没有响应。服务端或代理可能负载过高：请稍后重试。",
    ),
    "check.timeout": (
        "The request to {host} timed out ({detail}). Check the network and try again.",
        "请求 {host} 超时（{detail}）。请检查网络后重试。",
    ),
    "check.connection_lost": (
        "The connection to {host} was closed before an answer arrived ({detail}). A proxy or the network may "
        "have cut it: try again.",
        "与 {host} 的连接在收到响应前被关闭（{detail}）。可能是代理或网络切断了连接：请重试。",
    ),
    "check.response_too_large": (
        "{host} sent more than {limit} in answer to {path}, far more than this check needs, so it stopped "
        "reading. The base URL may point at something other than the DashScope API, or a proxy in between "
        "is misbehaving: check both.",
        "{host} 对 {path} 的响应超过 {limit}，远超本次检查所需，因此已停止读取。"
        "基础 URL 可能指向的并非 DashScope API，或中间的代理工作异常：请检查两者。",
    ),
    "check.request_too_slow": (
        "The request to {host} was still not finished after {seconds} s in all (data arrived, but too "
        "slowly), so the check gave up. The network, a proxy or the server is far too slow: try again later.",
        "请求 {host} 在总计 {seconds} 秒后仍未完成（有数据到达，但速度过慢），检查已放弃。"
        "网络、代理或服务端速度过慢：请稍后重试。",
    ),
    "check.check_too_slow": (
        "The live check was stopped after {seconds} s in all without an answer it could use. The network, "
        "a proxy or the service is far too slow: try again later, or skip the check with --no-test.",
        "在线检查总计 {seconds} 秒后仍未得到可用的响应，已被停止。网络、代理或服务速度过慢："
        "请稍后重试，或使用 --no-test 跳过检查。",
    ),
    "check.network_error": (
        "A network error occurred while talking to {host} ({detail}). Check the connection and try again.",
        "与 {host} 通信时发生网络错误（{detail}）。请检查网络连接后重试。",
    ),
    # --- local TLS/proxy settings (raised by wizard.check.net.make_client) -------------------------------------
    "check.ca_file_unreadable": (
        "{var} points at {path}, which cannot be used as trusted certificates ({detail}). Point it at a PEM "
        "file (or, for SSL_CERT_DIR, a hashed directory) with your organisation's root certificate, or unset it.",
        "{var} 指向的 {path} 无法作为受信任证书使用（{detail}）。请让它指向包含公司根证书的 PEM 文件"
        "（SSL_CERT_DIR 则为经过哈希处理的目录），或删除该变量。",
    ),
    "check.proxy_unsupported": (
        "The proxy {proxy} uses the scheme “{scheme}”, which cannot be used here. Use an http://, https://, "
        "socks5:// or socks5h:// proxy.",
        "代理 {proxy} 使用的协议“{scheme}”在此无法使用。请使用 http://、https://、socks5:// 或 socks5h:// 代理。",
    ),
    "check.proxy_socks_missing": (
        "The SOCKS proxy {proxy} needs the Python package socksio, which is missing from this installation "
        "of dashscope-setup (it is one of its dependencies). Reinstall dashscope-setup, or point "
        "HTTPS_PROXY at an http:// proxy.",
        "SOCKS 代理 {proxy} 需要 Python 包 socksio，但当前安装的 dashscope-setup 缺少它（它是依赖之一）。"
        "请重新安装 dashscope-setup，或将 HTTPS_PROXY 指向一个 http:// 代理。",
    ),
    "check.proxy_invalid": (
        "The proxy setting {proxy} is not a valid URL. Fix HTTPS_PROXY/HTTP_PROXY/ALL_PROXY "
        "(for example http://proxy.example.com:8080) or unset it.",
        "代理设置 {proxy} 不是有效的 URL。请修正 HTTPS_PROXY/HTTP_PROXY/ALL_PROXY"
        "（例如 http://proxy.example.com:8080），或删除该变量。",
    ),
}


def render(msg_id: str, params: Mapping[str, Any], lang: str, *, request_id: str | None = None) -> str:
    """The message with the request ID on a line of its own, since support asks for it and users
    copy it verbatim."""
    from wizard.messages import t

    text = t(lang, msg_id, **params)
    if request_id:
        text += "\n" + t(lang, "check.request_id", request_id=request_id)
    return text
