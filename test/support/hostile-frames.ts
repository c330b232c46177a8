import fc from 'fast-check';

/**
 * Frames with a hostile value (very deep, very wide, or a very long string) at
 * one position of the frame, built as text: building them as values and
 * serialising them would overflow the test's own stack. Shared by the Node and
 * the browser tests, so it must stay free of Node APIs.
 */
export interface HostileFrame {
  /** Where the hostile value sits, for failure messages. */
  position: string;
  frame: string;
  /** Close codes the receiver may use, or 'open' when the frame is acceptable. */
  expected: ReadonlyArray<number | 'open'>;
}

/** The data the receiver holds before the hostile frame: it must hold exactly this after. */
export const initialFrame = '{"type":"DATA","payload":[{"op":"replace","path":"","value":{"x":1}}]}';
export const initialData = { x: 1 };

const deepArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepMixed = (depth: number) => `${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}`;
const wideArray = (width: number) => `[${'0,'.repeat(width - 1)}0]`;
const wideObject = (width: number) => `{${Array.from({ length: width }, (_, i) => `"k${i}":0`).join(',')}}`;
const longString = (length: number) => `"${'x'.repeat(length)}"`;

/** JSON text of a hostile value: around and far past any depth limit, wide, or long. */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 300 }).map(deepArray),
  {
    weight: 3,
    arbitrary: fc.integer({ min: 3_000, max: 60_000 }).chain((depth) => fc.constantFrom(deepArray(depth), deepObject(depth), deepMixed(depth))),
  },
  fc.integer({ min: 1_000, max: 200_000 }).map(wideArray),
  fc.integer({ min: 1_000, max: 30_000 }).map(wideObject),
  fc.integer({ min: 1_000, max: 500_000 }).map(longString),
);

/** Every position of a frame, with the close codes that fit a hostile value there. */
const positions: ReadonlyArray<{ position: string; expected: ReadonlyArray<number | 'open'>; frame: (v: string) => string }> = [
  { position: 'type', expected: [1002], frame: (v) => `{"type":${v},"payload":1}` },
  { position: 'extra envelope member', expected: ['open'], frame: (v) => `{"type":"MESSAGE","payload":1,"extra":${v}}` },
  { position: 'DATA payload', expected: [1002, 1009], frame: (v) => `{"type":"DATA","payload":${v}}` },
  { position: 'MESSAGE payload', expected: [1009, 'open'], frame: (v) => `{"type":"MESSAGE","payload":${v}}` },
  { position: 'op', expected: [1002, 1009], frame: (v) => `{"type":"DATA","payload":[{"op":${v},"path":"/x","value":1}]}` },
  { position: 'path', expected: [1002, 1009], frame: (v) => `{"type":"DATA","payload":[{"op":"add","path":${v},"value":1}]}` },
  { position: 'from', expected: [1002, 1009], frame: (v) => `{"type":"DATA","payload":[{"op":"copy","from":${v},"path":"/y"}]}` },
  // A last operation that fails, so whatever the value did must be rolled back.
  { position: 'value', expected: [1007, 1009], frame: (v) => `{"type":"DATA","payload":[{"op":"add","path":"/y","value":${v}},{"op":"remove","path":"/missing"}]}` },
  { position: 'test value', expected: [1007, 1009], frame: (v) => `{"type":"DATA","payload":[{"op":"test","path":"/x","value":${v}}]}` },
  { position: 'extra op member', expected: [1007, 1009], frame: (v) => `{"type":"DATA","payload":[{"op":"add","path":"/y","value":1,"extra":${v}},{"op":"remove","path":"/missing"}]}` },
];

/** `value` (JSON text) at every position of a frame. */
export const framesWith = (value: string): HostileFrame[] =>
  positions.map(({ position, expected, frame }) => ({ position, expected, frame: frame(value) }));

/** One hostile value at every position of a frame: each run covers them all. */
export const hostileFrames: fc.Arbitrary<HostileFrame[]> = hostileValue.map(framesWith);

/** Cases every run includes: far deeper than any stack, and very wide. */
export const hostileExamples: Array<[HostileFrame[]]> = [[framesWith(deepArray(50_000))], [framesWith(wideArray(200_000))]];
