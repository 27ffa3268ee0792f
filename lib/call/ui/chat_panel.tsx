/**
 * The call's chat: the conversation so far, why a line was refused, and
 * the box to write in.
 *
 * @module
 */
import { MAX_CHAT_TEXT } from "@/lib/protocol/messages.ts";
import type { CallState } from "@/lib/call/use_call.ts";

export function ChatPanel({ call, peer }: { call: CallState; peer: string }) {
  const { chat, chatNotice, draft, role } = call;
  return (
    <aside class="chat" aria-label="Chat">
      <ol class="chat-log" aria-live="polite" aria-label="Messages">
        {chat.value.map((line) => (
          <li key={line.id} class={line.from === role ? "own" : "theirs"}>
            <span class="who">{line.from === role ? "You" : peer}</span>{" "}
            {line.text}
          </li>
        ))}
      </ol>
      {chatNotice.value && (
        <p class="chat-notice" role="alert">{chatNotice.value}</p>
      )}
      <form onSubmit={call.sendChat} class="chat-form">
        <label for="chat-input" class="visually-hidden">Message</label>
        <input
          id="chat-input"
          value={draft.value}
          maxLength={MAX_CHAT_TEXT}
          autocomplete="off"
          onInput={(e) => (draft.value = (e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="button">Send</button>
      </form>
    </aside>
  );
}
