/**
 * A bind's value as text in its own light DOM, with the author's fallback kept.
 *
 * The text lives in the light DOM, not in a shadow root, so that `textContent`,
 * `innerText`, copying, find-in-page and testing libraries' `getByText` see the
 * value. The design follows from who owns the children:
 *
 * - The value goes into one text node, the carrier: the author's first text
 *   node when there is one, else an empty one the bind appends. A change sets
 *   its `data` and nothing else, as cheap as a text node in a shadow root.
 * - While a value shows, the author's text is saved (per node) and their other
 *   text nodes are emptied; when the value is missing, `null` or empty, each
 *   node gets its saved text back, so the fallback reads as the author wrote it.
 * - Nodes are never removed, replaced or reordered: React, Vue and Lit keep
 *   references to the text nodes they rendered and update or remove them
 *   later, which must keep working. What a framework writes into a node while
 *   a value shows is its new fallback: it is noticed because the node no longer
 *   holds what the bind wrote (at the next change, or when children change).
 *   Only the author's nodes are checked so: reading a node's text back costs
 *   more than writing it, and nobody else holds the node the bind added.
 */
export class BoundText {
  readonly #host: Element;
  #carrier: Text | undefined;
  /** The fallback text of each text node, while a value is shown in their place. */
  #saved: Map<Text, string> | undefined;
  /** What the carrier was last given. */
  #written = '';
  /** The text node the bind added, if it did: no framework writes into it, so a change need not read it back. */
  #own: Text | undefined;

  constructor(host: Element) {
    this.#host = host;
  }

  /** Shows `text` in place of the fallback; `''` shows the fallback. */
  show(text: string): void {
    if (text === '') return this.restore();
    const carrier = this.#carrier;
    if (!this.#saved || carrier?.parentNode !== this.#host) this.#take();
    else if (carrier !== this.#own && carrier.data !== this.#written) this.#saved.set(carrier, carrier.data);
    this.#carrier!.data = this.#written = text;
  }

  /** Puts the fallback back. */
  restore(): void {
    const saved = this.#saved;
    if (!saved) return;
    this.#saved = undefined;
    for (const [node, fallback] of saved) if (this.#untouched(node)) node.data = fallback;
  }

  /** The children changed (a framework rendered, the parser went on): a shown value takes the new ones into account. */
  childrenChanged(): void {
    if (!this.#saved) return;
    const text = this.#written;
    this.#take();
    this.#carrier!.data = this.#written = text;
  }

  /** Saves the fallback of every text node child, empties them, and picks the carrier. */
  #take(): void {
    const previous = this.#saved;
    const saved = new Map<Text, string>();
    this.#carrier = undefined;
    for (const node of this.#host.childNodes) {
      if (!(node instanceof Text)) continue;
      const before = previous?.get(node);
      saved.set(node, before !== undefined && this.#untouched(node) ? before : node.data);
      if (this.#carrier) node.data = '';
      else this.#carrier = node;
    }
    if (!this.#carrier) {
      this.#carrier = this.#own = this.#host.appendChild(document.createTextNode(''));
      saved.set(this.#carrier, '');
    }
    this.#saved = saved;
  }

  /** Still holds what the bind put there (the value or nothing), so its saved text is still its fallback. */
  #untouched(node: Text): boolean {
    return node.data === '' || node.data === this.#written;
  }
}
