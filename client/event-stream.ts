/** Reads server-sent events (text/event-stream) from a fetch body, as the WHATWG spec frames them. */

/** One dispatched event. */
export interface ServerSentEvent {
  /** `message` when the stream named none. */
  event: string;
  data: string;
  id: string | null;
}

/** The events of `body`, in order; stops reading the stream when the caller stops iterating. */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let event = { event: '', data: [] as string[], id: null as string | null };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffered.split(/\r\n|\r|\n/);
      // The last piece may be half a line: keep it for the next chunk (or drop it at the end, as the spec says).
      buffered = done ? '' : lines.pop()!;
      for (const line of lines) {
        if (line === '') {
          if (event.data.length > 0) yield { event: event.event || 'message', data: event.data.join('\n'), id: event.id };
          event = { event: '', data: [], id: event.id };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') event.data.push(value);
        else if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
      }
      if (done) return;
    }
  } finally {
    // Leaving early (a final status, an abort) must close the connection, not leave it open.
    await reader.cancel().catch(() => undefined);
  }
}
