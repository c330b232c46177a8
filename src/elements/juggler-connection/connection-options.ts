import type { ClientOptions } from '../../client/juggler-client.js';
import type { Delay } from '../../core/throttle.js';

/** `delay="250"`, `delay="0"` or `delay="manual"`; anything else is the default 100 ms. */
export function parseDelay(value: string | null): Delay {
  if (value?.trim() === 'manual') return 'manual';
  const ms = Number(value ?? '');
  return value !== null && value.trim() !== '' && Number.isFinite(ms) && ms >= 0 ? ms : 100;
}

function numberAttribute(element: Element, name: string): number | undefined {
  const value = element.getAttribute(name);
  const number = value === null ? NaN : Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** The client options a `<juggler-connection>` spells as attributes. */
export function optionsFromAttributes(element: Element): ClientOptions {
  return {
    url: element.getAttribute('url') ?? undefined,
    reconnect:
      element.getAttribute('reconnect') === 'off'
        ? false
        : {
            initialDelay: numberAttribute(element, 'reconnect-delay'),
            maxDelay: numberAttribute(element, 'reconnect-max-delay'),
          },
    pingInterval: numberAttribute(element, 'ping-interval'),
    pingTimeout: numberAttribute(element, 'ping-timeout'),
    maxMessageSize: numberAttribute(element, 'max-message-size'),
  };
}
