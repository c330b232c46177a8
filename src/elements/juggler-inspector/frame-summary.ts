/** How many characters of a frame the log keeps to show and to filter on. */
export const previewLength = 200;

/** What the inspector keeps of one frame: never the whole frame, which may be megabytes. */
export interface FrameSummary {
  readonly direction: 'in' | 'out';
  /** `DATA`, `MESSAGE`, `PING`, `PONG`, or `?` for a frame that is not a protocol message. */
  readonly type: string;
  /** Size on the wire: the frame's UTF-8 length. */
  readonly bytes: number;
  /** Operations of a DATA frame's patch. */
  readonly ops: number | undefined;
  /** For a call frame: `call NAME #ID`, `answer #ID` or `failure #ID`. */
  readonly call: string | undefined;
  /** The frame's start, for reading and for the text filter. */
  readonly preview: string;
}

/** A call frame, as `Calls` sends and answers them (see core/calls.ts). */
export interface RpcFrame {
  readonly id: number;
  readonly direction: 'request' | 'response';
}

/**
 * Reads a frame as the peer would. The inspector pays for a second parse of
 * every frame while it is on the page; without it, nothing is parsed twice.
 */
export function summarize(direction: 'in' | 'out', frame: string): { summary: FrameSummary; rpc: RpcFrame | undefined } {
  let message: { type?: unknown; payload?: unknown } | undefined;
  try {
    message = JSON.parse(frame) as typeof message;
  } catch {
    message = undefined;
  }
  // What a peer names is cut like the preview: the log holds a bounded number of bounded entries.
  const type = typeof message?.type === 'string' ? cut(message.type) : '?';
  const payload = message?.payload as { type?: unknown; id?: unknown; direction?: unknown; action?: unknown; success?: unknown } | null | undefined;
  let rpc: RpcFrame | undefined;
  let call: string | undefined;
  if (type === 'MESSAGE' && payload?.type === 'rpc' && typeof payload.id === 'number') {
    rpc = { id: payload.id, direction: payload.direction === 'request' ? 'request' : 'response' };
    call = rpc.direction === 'request' ? `call ${cut(String(payload.action))} #${rpc.id}` : `${payload.success === false ? 'failure' : 'answer'} #${rpc.id}`;
  }
  return {
    summary: {
      direction,
      type,
      bytes: utf8Length(frame),
      ops: type === 'DATA' && Array.isArray(payload) ? payload.length : undefined,
      call,
      preview: frame.length > previewLength ? `${frame.slice(0, previewLength)}…` : frame,
    },
    rpc,
  };
}

/** The length of `text` in UTF-8, without encoding it (a frame may be large). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // One more byte from U+0080, two more from U+0800; a surrogate pair (4 bytes) is two units of 2.
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/** A name from the wire as the log shows it: at most 60 characters. */
function cut(name: string): string {
  return name.length > 60 ? `${name.slice(0, 59)}…` : name;
}
