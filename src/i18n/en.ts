/**
 * Every text a user sees, in English. `{name}` marks a value filled in at run time. The
 * Chinese catalogue (`zh.ts`) must have the same keys and the same placeholders; a test keeps
 * them in step.
 */
export const en = {
  // Notices
  "notice.unsupported":
    "I cannot read this kind of message yet. Please send your question as text, or as a file.",
  "notice.reset": "New conversation started. Earlier messages are forgotten.",
  "notice.text_only":
    "This bot's model reads text only, so I cannot see images. Please describe the picture in words.",
  "notice.image_unreadable":
    "I could not open that image. Please send it again, or describe it in words.",

  // Files and other message types
  "notice.sticker": "🙂 Send me a question whenever you like.",
  "file.got_it": "Got {names}. What would you like me to do with it?",
  "file.unreadable": "I could not read {name}: {reason}.",
  "file.reason.no_text_layer":
    "it is a scanned PDF with no text layer (pictures of pages); please send a PDF with selectable text, or the document itself",
  "file.reason.unsupported_format":
    "I cannot read this kind of file; PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), CSV, HTML and text files work",
  "file.reason.damaged":
    "the file seems damaged, protected by a password, or not what its name says",
  "file.reason.empty": "it is empty",
  "file.reason.too_large": "it is larger than this bot takes",
  "file.reason.not_available": "it could not be downloaded from Lark; please send it again",
  "forward.unreadable":
    "I could not open the forwarded chat. Please forward it again, or paste the messages as text.",

  // Voice messages
  "voice.off": "Voice messages are off for this bot. Please type your question.",
  "voice.failed":
    "I could not understand this voice message: {reason}. Please try again, or type your question. Reference: {ref}",
  "voice.empty":
    "I could not make out any words in this voice message. Please try again, or type your question.",
  "voice.reason.download": "I could not download it from Lark",
  "voice.reason.too_long": "it is {seconds} s long, and I take up to {limit} minutes",
  "voice.reason.unreadable": "its audio could not be read",
  "voice.reason.missing_scope":
    "the bot lacks Lark's speech recognition permission ({scope}); an admin adds it in the developer console (Permissions & Scopes) and publishes a new version",
  "voice.reason.refused": "Lark's speech recognition refused it ({detail})",
  "voice.reason.auth": "the speech service refused the gateway's API key",
  "voice.reason.rate_limited": "the speech service is busy; try again shortly",
  "voice.reason.timeout": "it took too long",
  "voice.reason.unavailable": "the app's endpoint offers no speech recognition ({detail})",
  "voice.reason.other": "the speech service failed ({detail})",

  // A failed answer
  "error.notice": "Sorry, I could not get an answer from the model ({reason}). Reference: {ref}",
  "error.timeout": "it took too long",
  "error.rate_limited": "the model is rate-limited, try again shortly",
  "error.auth": "the gateway's API key was refused",
  "error.empty_answer": "it returned an empty answer",
  "error.other": "the model service failed",
  "error.too_long": "the answer went past 100,000 characters, so it stops here",
  "error.content_policy": "the service's content policy refused it; try putting it differently",

  // The answer card
  "card.stop": "Stop",
  "card.regenerate": "Regenerate",
  "card.new_chat": "New chat",
  "card.thinking": "💭 Thinking…",
  "card.reasoning": "💭 Thinking",
  "card.sources": "📚 Sources ({count})",
  "card.stopped": "_⏹ Stopped._",
  "card.picture_loading": "_🖼 {alt} (picture on its way…)_",
  "card.files_below": "📎 {names} (sent below)",
  "card.continued": "_(continued below)_",
  "card.footer_tokens": "{count} tokens",
  "card.footer_stopped": "stopped",
  "card.interrupted":
    "⚠️ This answer was interrupted (the gateway restarted). The complete answer follows.",
  "card.interrupted_summary": "Interrupted",

  // Toolbar toasts
  "toast.not_yours":
    "This answer belongs to someone else's conversation, so only they can use these buttons.",
  "toast.stopping": "Stopping the answer…",
  "toast.new_chat": "New conversation started. Earlier messages are forgotten.",
  "toast.regenerating": "Regenerating the answer…",
  "toast.expired": "This card is out of date; send the command again.",
  "toast.done": "Done.",

  // Workflow pauses (an app that asks back)
  "pause.title": "Your answer is needed",
  "pause.pick": "Pick one to continue.",
  "pause.fill": "Fill this in and send it to continue.",
  "pause.send": "Send",
  "pause.answered_title": "Answered",
  "pause.answered": "You answered: {answer}",
  "pause.see_card": "The app needs your answer to go on; see the card below.",
  "toast.pause_sent": "Sent; the answer continues below.",
  "toast.pause_answered": "This was already answered, so nothing was sent again.",
  "toast.pause_expired":
    "This question has expired (or the conversation was started anew). Please ask again.",
  "toast.pause_not_yours": "Only the person who asked can answer this card.",
  "toast.pause_required": 'Please fill in "{field}" first.',
  "toast.pause_number": '"{field}" needs a number.',
  "toast.pause_choice": "That option is not on this card any more. Please ask again.",

  // /help
  "help.title": "What I can do",
  "help.intro": "Ask me anything in a message. In groups, @mention me.",
  "help.app": "I answer with **{app}** ({backend}).",
  "help.pictures_on": "Pictures: send one, or reply to one and ask about it.",
  "help.pictures_off": "Pictures: this app reads text only.",
  "help.voice_openai": "Voice: send a voice message; {model} turns it into text.",
  "help.voice_lark": "Voice: send a voice message; Lark's speech recognition turns it into text.",
  "help.voice_off": "Voice: off for this bot; please type.",
  "help.commands": "**Commands**",
  "help.cmd.help": "{words}: this card",
  "help.cmd.reset": "{words}: start a new conversation",
  "help.cmd.clear": "{words}: forget this conversation (asks first)",
  "help.cmd.system": "{words} <prompt>: give me a role for this conversation",
  "help.cmd.roles": "{words}: pick a role from the presets",
  "help.cmd.ai_mode": "{words}: pick an answer style",
  "help.cmd.model": "{words} [name]: show or pick the model",
  "help.cmd.usage": "{words}: what you and this bot used today and this month",
  "help.cmd.picture": "{words} <description>: draw a picture; on its own: picture mode on or off",
  "help.picture_mode_now": "Picture mode is on: messages are drawn as pictures.",
  "help.cmd.vision": "{words}: picture questions: send pictures, then ask about them",
  "help.vision_mode_now": "Picture questions are on: pictures wait for your question.",
  "help.role_now": "Role in this conversation: {role}",
  "help.mode_now": "Answer style: {mode}",
  "help.model_now": "Model: {model}",
  "help.button.new_chat": "New chat",
  "help.button.roles": "Roles",
  "help.button.ai_mode": "Answer style",
  "help.button.usage": "Usage",
  "help.button.picture": "Create pictures",
  "help.button.vision": "Ask about pictures",

  // /clear
  "clear.title": "Forget this conversation?",
  "clear.body": "Earlier messages will no longer be sent to the model. This cannot be undone.",
  "clear.confirm": "Yes, forget it",
  "clear.cancel": "Cancel",
  "clear.done": "Conversation cleared. Earlier messages are forgotten.",
  "clear.cancelled": "Kept. Nothing was forgotten.",

  // /system and roles
  "system.title": "Role set",
  "system.body": "A new conversation starts with this role:\n\n{prompt}",
  "system.missing": "Add the role after the command, e.g. `{word} You are a translator.`",
  "system.default": "Back to default",
  "system.cleared": "Role removed: this conversation uses the bot's own prompt again.",
  "roles.title": "Roles",
  "roles.pick_tag": "Pick a topic:",
  "roles.pick_role": "Roles in **{tag}**:",
  "roles.none": "No role presets are configured.",
  "roles.back": "« Topics",

  // /ai_mode
  "ai_mode.title": "Answer style",
  "ai_mode.body": "How freely should I answer? Now: **{mode}**",
  "ai_mode.set": "Answer style set to **{mode}**.",
  "ai_mode.strict": "Strict",
  "ai_mode.concise": "Concise",
  "ai_mode.standard": "Standard",
  "ai_mode.creative": "Creative",

  // /model
  "model.title": "Model",
  "model.body": "Now: **{model}**. Pick one:",
  "model.set": "Model set to **{model}** for this conversation.",
  "model.unknown": "**{model}** is not one of this bot's models: {models}.",
  "model.off": "This bot has no other models to choose from.",

  // /picture and picture mode
  "picture.title": "Picture creation",
  "picture.mode_on":
    "Picture mode is on: describe a picture and I draw it with **{model}**. Send a picture to get a variation of it. Send `{word}` again, or press the button, to go back to questions.",
  "picture.mode_off": "Picture mode is off: messages are questions again.",
  "picture.now": "Shape: **{shape}**",
  "picture.style_now": "Style: **{style}**",
  "picture.shape.square": "Square",
  "picture.shape.landscape": "Landscape",
  "picture.shape.portrait": "Portrait",
  "picture.style.vivid": "Vivid",
  "picture.style.natural": "Natural",
  "picture.leave": "Back to questions",
  "picture.again": "Draw again",
  "picture.vary": "Variation",
  "picture.of_yours": "a variation of your picture",
  "picture.failed": "Sorry, I could not make the picture ({reason}). Reference: {ref}",
  "picture.set": "Picture settings saved.",
  "toast.drawing": "Drawing…",

  // larkgate check: the permissions a bot needs
  "doctor.secret_wrong":
    "{source} is wrong for {appId} (Lark answered {code}). Copy App Secret again from the developer console (Credentials & Basic Info)",
  "doctor.app_unknown":
    "Lark at {domain} does not know {appId} (Lark answered 10003). Check {sourceAppId}, and {sourceDomain}: feishu (open.feishu.cn) or lark (open.larksuite.com)",
  "doctor.unreachable":
    "cannot reach Lark at {domain} ({reason}). Check {sourceDomain} and the network/proxy",
  "doctor.activation.0":
    "not activated yet: publish a version of the app (developer console → Version Management & Release)",
  "doctor.activation.1":
    "disabled by the tenant admin: ask an admin to enable the app in the admin console",
  "doctor.activation.3":
    "installed, waiting for an admin to approve it: ask an admin to approve the app",
  "doctor.activation.4":
    "an upgrade is waiting for admin approval (the current version keeps working)",
  "doctor.activation.5": "the app's license has expired",
  "doctor.activation.6": "the tenant's plan has expired",
  "doctor.activation.other": "unknown status",
  "doctor.no_encrypt_key":
    "no encrypt key: Lark's requests to this bot are not signed. Set an Encrypt Key in the console (Events & Callbacks → Encryption Strategy) and as {source}",
  "doctor.scope_ok": "permission {scope}: granted ({feature})",
  "doctor.scope_missing":
    "permission {scope} is missing, so {feature} cannot work. Developer console → Permissions & Scopes → search {scope} → Add, then publish a new version (Version Management & Release)",
  "doctor.scope_fallback":
    "permission {scope} is missing: {feature} is off and the bot makes do without. To turn it on: Developer console → Permissions & Scopes → search {scope} → Add, then publish a new version",
  "doctor.scope_unknown": "permission {scope} ({feature}): could not tell ({reason})",
  "doctor.group_msg":
    "This bot reads every group message: check that im:message.group_msg (read all messages in groups) is granted under Permissions & Scopes; an admin must approve it",
  "doctor.pushes_ok": "bot {bot}: {count} push(es) from Lark accepted since the gateway started",
  "doctor.no_pushes":
    "bot {bot}: no push from Lark in the {minutes} min since the gateway started. If people wrote to the bot: Developer console → Events & Callbacks → Event Configuration: set the Request URL and add the event im.message.receive_v1, then publish a version",
  "doctor.rejected": "bot {bot}: Lark's last push was refused ({code}).",
  "doctor.rejected.bad_signature":
    "The Encrypt Key in the console (Events & Callbacks → Encryption Strategy) differs from the bot's: copy it again.",
  "doctor.rejected.undecryptable":
    "The push could not be decrypted: the Encrypt Key in the console (Events & Callbacks → Encryption Strategy) differs from the bot's.",
  "doctor.rejected.bad_token":
    "The Verification Token in the console (Events & Callbacks → Encryption Strategy) differs from the bot's: copy it again.",
  "doctor.rejected.missing_signature":
    "Lark did not sign the push: set the same Encrypt Key in the console (Events & Callbacks → Encryption Strategy) as the bot has.",
  "doctor.rejected.encrypted_but_no_key":
    "Lark encrypts pushes but the bot has no Encrypt Key: set APP_ENCRYPT_KEY (or encryptKey) to the console's.",
  "doctor.rejected.stale": "The push was older than 5 minutes: check this machine's clock.",
  "doctor.ws_up": "bot {bot}: long connection to Lark is up",
  "doctor.ws_down":
    "bot {bot}: long connection is not up ({state}). Developer console → Events & Callbacks: choose receiving events through the persistent connection, and check APP_ID and APP_SECRET",
  "doctor.not_running":
    "bot {bot}: not running in this gateway (reload it, or check its configuration)",
  "doctor.feature.replies": "answering messages",
  "doctor.feature.quotes": "reading the message a question replies to",
  "doctor.feature.typing": "the typing reaction while answering",
  "doctor.feature.patch": "updating answer cards",
  "doctor.feature.cardkit": "streaming answers as a typewriter (CardKit)",
  "doctor.feature.pictures": "pictures (reading them, uploading the ones /picture makes)",
  "doctor.feature.voice": "voice messages (downloading them, Lark's speech recognition)",
  "doctor.feature.sender_names":
    "senders' names in the app's variables or prompt (the open_id is sent without it)",
  "doctor.feature.chat_names":
    "group names in the app's variables or prompt (the chat id is sent without it)",

  // /vision
  "vision.title": "Picture questions",
  "vision.mode_on":
    "Picture questions are on: send one or more pictures, then ask about them in your next message. Send `{word}` again, or press the button, to go back.",
  "vision.mode_off": "Picture questions are off: a picture is answered as soon as it arrives.",
  "vision.detail_now": "Detail: **{detail}**",
  "vision.detail.auto": "Auto",
  "vision.detail.low": "Low (faster)",
  "vision.detail.high": "High (small print)",
  "vision.leave": "Back to normal",
  "vision.set": "Detail set to **{detail}**.",
  "vision.got_it": "Got it ({count} picture(s)). What would you like to know?",

  // /usage
  "usage.title": "Usage",
  "usage.row": "{scope}: {answers} answers, {tokens} tokens",
  "usage.today": "Today",
  "usage.month": "This month",
  "usage.conversation": "This conversation",
  "usage.you": "You",
  "usage.bot": "This bot",
  "usage.note": "Tokens as the model reported them; answers without a report count 0.",

  // Budgets and limits
  "limit.title": "Limit reached",
  "limit.body":
    "You have reached {limit}, so this question was not sent to the model. It resets {when}.",
  "limit.contact": "For more, ask {contact}.",
  "limit.expired":
    "This bot's access has expired, so it no longer answers questions. Please contact its administrator.",
  "limit.when.seconds": "in {n} seconds",
  "limit.when.minutes": "in {n} minutes",
  "limit.when.at": "at {time}",
  "limit.name.perMinute.user": "your requests per minute",
  "limit.name.perMinute.chat": "this chat's requests per minute",
  "limit.name.perMinute.bot": "this bot's requests per minute",
  "limit.name.questions.userDay": "your questions for today",
  "limit.name.questions.userMonth": "your questions for this month",
  "limit.name.questions.chatMonth": "this chat's questions for this month",
  "limit.name.questions.botMonth": "this bot's questions for this month",
  "limit.name.tokens.userDay": "your tokens for today",
  "limit.name.tokens.userMonth": "your tokens for this month",
  "limit.name.tokens.chatMonth": "this chat's tokens for this month",
  "limit.name.tokens.botMonth": "this bot's tokens for this month",
  "limit.name.cost.userDay": "your spending for today",
  "limit.name.cost.userMonth": "your spending for this month",
  "limit.name.cost.chatMonth": "this chat's spending for this month",
  "limit.name.cost.botMonth": "this bot's spending for this month",
  "usage.limits": "Limits",
  "usage.limit_row": "{limit}: {used} of {total} used, resets {when}",
  "usage.per_minute_row": "{limit}: {left} of {total} left right now",
  "usage.estimated":
    "{n} of the tokens counted are estimated: the model did not report its usage for those answers.",
  // Welcome
  "welcome.text_unnamed":
    "Hi! Ask me anything; in groups, @mention me. Send /help to see what I can do.",
  "welcome.text":
    "Hi, I am {bot}. Ask me anything; in groups, @mention me. Send /help to see what I can do.",
  // Console
  "console.title": "larkgate console",
  "console.nav.bots": "Bots",
  "console.nav.chat_log": "Chat log",
  "console.nav.usage": "Usage",
  "console.nav.config": "Config",
  "console.logout": "Log out",
  "console.login.title": "Log in to the larkgate console",
  "console.login.token": "Admin token (ADMIN_TOKEN)",
  "console.login.submit": "Log in",
  "console.login.wrong":
    "That is not the admin token. Use the value of ADMIN_TOKEN on this gateway.",
  "console.login.limited": "Too many wrong tokens from this address. Try again in {minutes} min.",
  "console.csrf": "This change did not come from a console page. Reload the page and try again.",
  "console.bots.none":
    "No bot is configured yet. Set APP_ID and APP_SECRET, or add bots to larkgate.yaml.",
  "console.bots.mode": "Delivery",
  "console.bots.mode.webhook": "webhook (Request URL)",
  "console.bots.mode.websocket": "long connection",
  "console.bots.app": "App",
  "console.bots.answer_path": "Answer path",
  "console.bots.answer_path.auto":
    "CardKit streaming, falling back to card updates, then plain messages, when Lark refuses",
  "console.bots.answer_path.cardkit": "CardKit streaming (set by answerMode)",
  "console.bots.answer_path.patch": "card updates (set by answerMode)",
  "console.bots.answer_path.final": "one final message (set by answerMode)",
  "console.bots.request_urls": "Request URLs",
  "console.bots.copy": "Copy",
  "console.bots.credentials_ok": "Lark accepted the app's credentials",
  "console.bots.credentials_bad":
    "Lark refused the app's credentials: {reason}. Check APP_ID and APP_SECRET.",
  "console.bots.pushes": "Pushes received: {acked}, refused: {rejected}",
  "console.bots.last_push": "Last push: {when}",
  "console.bots.no_push":
    "No push received since start: check the Request URL and the event subscription in the Lark console.",
  "console.bots.last_refusal":
    "Last refusal: {code} at {when} on {route}. A bad_signature means APP_ENCRYPT_KEY differs from the console's Encrypt Key.",
  "console.bots.connection": "Connection: {state} since {when}, reconnects: {reconnects}",
  "console.bots.connection_error": "Last error: {error}",
  "console.bots.recent_errors": "Recent errors",
  "console.bots.no_errors": "No failed answers recently.",
  "console.chat.filters": "Filters",
  "console.chat.bot": "Bot",
  "console.chat.chat": "Chat id",
  "console.chat.user": "User open_id",
  "console.chat.conversation": "Conversation",
  "console.chat.since": "From",
  "console.chat.until": "Until",
  "console.chat.errors_only": "Errors only",
  "console.chat.search": "Search questions and answers",
  "console.chat.apply": "Apply",
  "console.chat.export_jsonl": "Export JSONL",
  "console.chat.export_csv": "Export CSV",
  "console.chat.none": "No exchange matches.",
  "console.chat.older": "Older",
  "console.chat.time": "Time",
  "console.chat.question": "Question",
  "console.chat.answer": "Answer",
  "console.chat.status": "Status",
  "console.chat.bad_filter": "{field} is not a time: use YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC).",
  "console.thread.title": "Conversation {key}",
  "console.thread.not_found": "No exchange {id} in the chat log (pruned, or never recorded).",
  "console.thread.model": "Model",
  "console.thread.tokens": "Tokens",
  "console.thread.latency": "Latency",
  "console.thread.error": "Error",
  "console.thread.reference": "Reference id",
  "console.thread.reasoning": "Reasoning",
  "console.usage.days": "Last {days} days",
  "console.usage.answers": "Answers",
  "console.usage.errors": "Errors",
  "console.usage.tokens": "Tokens",
  "console.usage.p50": "p50 latency",
  "console.usage.p95": "p95 latency",
  "console.usage.day": "Day",
  "console.usage.model": "Model",
  "console.usage.chart": "Answers per day",
  "console.usage.none": "Nothing recorded in this period.",
  "console.config.source": "Read from: {source}",
  "console.config.env_only": "the environment (no config file)",
  "console.config.masked": "Secrets are shown as •••• and never leave the gateway.",
  "console.config.reload": "Reload configuration",
  "console.config.reloaded": "Reloaded. Bots now: {bots}.",
  "console.config.reload_failed": "Reload refused, the previous configuration stays: {reason}",
} as const;

export type TextKey = keyof typeof en;
