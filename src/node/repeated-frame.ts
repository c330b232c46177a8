import * as ws from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

// ws exports the class that builds its frames, which its type declarations leave out.
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };
const unmaskedText: FrameOptions = { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false };

/** A text frame as it goes on the wire, and its payload alone (a view into it) for when `ws` must send it itself. */
export interface WireFrame {
  readonly bytes: Buffer;
  readonly payload: Buffer;
}

let lastText: string | undefined;
let lastFrame: WireFrame | undefined;
let repeats = 0;

/**
 * A server's text frame (header and UTF-8 payload in one buffer) for `text`
 * when it is the text sent last, or undefined for a text sent once so far.
 *
 * A broadcast sends one string to every connection in a row: from the second
 * connection on, the string is encoded and framed once and the same buffers go
 * to every socket in one write, where `ws` would measure, encode and frame it
 * per socket and write header and payload apart.
 * A text sent to one connection only costs a comparison, which is by reference
 * for the same string and stops at the first difference otherwise.
 */
export function repeatedFrame(text: string): WireFrame | undefined {
  if (text !== lastText) {
    lastText = text;
    lastFrame = undefined;
    repeats = 0;
    return undefined;
  }
  repeats++;
  return (lastFrame ??= wireFrame(text));
}

function wireFrame(text: string): WireFrame {
  const [header, payload] = Sender.frame(Buffer.from(text), unmaskedText);
  const bytes = Buffer.concat([header, payload]);
  return { bytes, payload: bytes.subarray(header.length) };
}

/** How many times in a row the last text was sent, after its first time. */
export function repeatCount(): number {
  return repeats;
}

/** Starts counting again: the next send of the last text is the first of a new run. */
export function resetRepeats(): void {
  repeats = 0;
}
