/**
 * The call's chat: the conversation so far with each line's time, why a
 * line was refused, and the box to write in, labelled with whom it goes to.
 *
 * @module
 */
import { useEffect, useRef } from "preact/hooks";
import { MAX_CHAT_TEXT } from "@/lib/protocol/messages.ts";
import type { CallState } from "@/lib/call/use_call.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";
import { chatTime } from "./formats.ts";

export function ChatPanel(
  { call, peer, language, text }: {
    call: CallState;
    peer: string;
    /** The page's language, for the lines' times. */
    language: string;
    text: CallText;
  },
) {
  const { chat, chatRefused, draft, role } = call;
  const log = useRef<HTMLDivElement>(null);
  // The newest line in view, as in any conversation.
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [chat.value.length]);
  return (
    <aside class="chat" aria-label={text.chat}>
      {
        /* A log, not a list that speaks: new lines are announced, and it
           scrolls with the keyboard too. */
      }
      <div
        ref={log}
        class="chat-log"
        role="log"
        aria-label={text.messages}
        tabIndex={0}
      >
        <ol>
          {chat.value.map((line) => (
            <li key={line.id} class={line.from === role ? "own" : "theirs"}>
              <time class="chat-time" dateTime={line.at}>
                {chatTime(line.at, language)}
              </time>{" "}
              <span class="who">{line.from === role ? text.you : peer}</span>
              {": "}
              {line.text}
            </li>
          ))}
        </ol>
      </div>
      {chatRefused.value && (
        <p class="chat-notice" role="alert">{text.chatFull}</p>
      )}
      <form onSubmit={call.sendChat} class="chat-form">
        <label for="chat-input">{fill(text.message, { peer })}</label>
        <span class="chat-row">
          <input
            id="chat-input"
            value={draft.value}
            maxLength={MAX_CHAT_TEXT}
            autocomplete="off"
            onInput={(e) => draft.value = (e.target as HTMLInputElement).value}
          />
          <button type="submit" class="button">{text.send}</button>
        </span>
      </form>
    </aside>
  );
}
