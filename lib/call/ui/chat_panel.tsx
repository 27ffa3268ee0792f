/**
 * The call's chat: the conversation so far, why a line was refused, and
 * the box to write in.
 *
 * @module
 */
import { MAX_CHAT_TEXT } from "@/lib/protocol/messages.ts";
import type { CallState } from "@/lib/call/use_call.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";

export function ChatPanel(
  { call, peer, text }: { call: CallState; peer: string; text: CallText },
) {
  const { chat, chatRefused, draft, role } = call;
  return (
    <aside class="chat" aria-label={text.chat}>
      <ol class="chat-log" aria-live="polite" aria-label={text.messages}>
        {chat.value.map((line) => (
          <li key={line.id} class={line.from === role ? "own" : "theirs"}>
            <span class="who">{line.from === role ? text.you : peer}</span>{" "}
            {line.text}
          </li>
        ))}
      </ol>
      {chatRefused.value && (
        <p class="chat-notice" role="alert">{text.chatFull}</p>
      )}
      <form onSubmit={call.sendChat} class="chat-form">
        <label for="chat-input" class="visually-hidden">{text.message}</label>
        <input
          id="chat-input"
          value={draft.value}
          maxLength={MAX_CHAT_TEXT}
          autocomplete="off"
          onInput={(e) => (draft.value = (e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="button">{text.send}</button>
      </form>
    </aside>
  );
}
