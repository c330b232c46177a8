import { parsePointer } from './json-pointer.js';

/** Called with the changed paths that reached the listener (at, above or below its own). */
export type PathListener = (changedPaths: readonly string[]) => void;

interface Node {
  listeners: Set<PathListener> | undefined;
  children: Map<string, Node> | undefined;
  parent: Node | undefined;
  key: string;
}

const newNode = (parent: Node | undefined, key: string): Node => ({ listeners: undefined, children: undefined, parent, key });

/**
 * Listeners keyed by JSON Pointer. A change at a path reaches the listeners of
 * that path, of its ancestors (their value contains it) and of its descendants
 * (their value may be gone or replaced), and no others. Kept as a tree of
 * tokens, so notifying costs the depth of the path plus the listeners reached,
 * however many listeners the page holds elsewhere.
 */
export class PathListeners {
  readonly #root = newNode(undefined, '');

  /** Adds a listener for `pointer`; returns the function that removes it. */
  add(pointer: string, listener: PathListener): () => void {
    let node = this.#root;
    for (const token of parsePointer(pointer)) {
      node.children ??= new Map();
      let child = node.children.get(token);
      if (!child) node.children.set(token, (child = newNode(node, token)));
      node = child;
    }
    (node.listeners ??= new Set()).add(listener);
    return () => this.#remove(node, listener);
  }

  /**
   * Calls each listener reached by any of `paths` once, with every path that reached it.
   * A listener that throws does not stop the others: its error is thrown again
   * from a microtask, so it still reaches the console and `window.onerror`.
   */
  notify(paths: readonly string[]): void {
    const reached = new Map<PathListener, string[]>();
    for (const path of paths) {
      let node: Node | undefined = this.#root;
      collect(node, path, reached);
      for (const token of parsePointer(path)) {
        node = node.children?.get(token);
        if (!node) break;
        collect(node, path, reached);
      }
      if (node?.children) collectBelow(node, path, reached);
    }
    for (const [listener, reachedBy] of reached) {
      try {
        listener(reachedBy);
      } catch (error) {
        // One bad value at one path must not leave every other bind the change reached stale.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #remove(node: Node, listener: PathListener): void {
    node.listeners?.delete(listener);
    // Prune nodes nobody listens at or below, so the tree holds only what is bound.
    let current: Node | undefined = node;
    while (current?.parent && !current.listeners?.size && !current.children?.size) {
      current.parent.children!.delete(current.key);
      current = current.parent;
    }
  }
}

function collect(node: Node, path: string, reached: Map<PathListener, string[]>): void {
  if (!node.listeners) return;
  for (const listener of node.listeners) {
    const paths = reached.get(listener);
    if (!paths) reached.set(listener, [path]);
    else if (paths[paths.length - 1] !== path) paths.push(path);
  }
}

function collectBelow(node: Node, path: string, reached: Map<PathListener, string[]>): void {
  for (const child of node.children!.values()) {
    collect(child, path, reached);
    if (child.children) collectBelow(child, path, reached);
  }
}
