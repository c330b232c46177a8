import { JugglerError } from '../../core/errors.js';
import { LocalState } from '../../core/local-state.js';

/**
 * A hat-0.7 client's local data: there is none. The dialect has no way to send
 * a client's state, so a write throws `not-supported` instead of vanishing.
 */
export class NoLocalData extends LocalState {
  override replace(): void {
    throw noLocalData();
  }
  override setAt(): void {
    throw noLocalData();
  }
  override insertAt(): void {
    throw noLocalData();
  }
  override removeAt(): void {
    throw noLocalData();
  }
}

export function noLocalData(): JugglerError {
  return new JugglerError('not-supported', 'a client of the hat-0.7 dialect has no local data: a server of that dialect takes requests only (use call())');
}
