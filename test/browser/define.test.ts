import { expect } from 'chai';
import { JugglerBind } from '../../src/elements/juggler-bind/juggler-bind.js';
import { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { JugglerList } from '../../src/elements/juggler-list/juggler-list.js';
import { JugglerSend } from '../../src/elements/juggler-send/juggler-send.js';
import { JugglerStatus } from '../../src/elements/juggler-status/juggler-status.js';

// This file imports the classes only, so it decides what gets defined.
describe('static define()', () => {
  it('registers each class under its own tag, once', () => {
    for (const [element, tag] of [
      [JugglerConnection, 'juggler-connection'],
      [JugglerBind, 'juggler-bind'],
      [JugglerList, 'juggler-list'],
      [JugglerSend, 'juggler-send'],
      [JugglerStatus, 'juggler-status'],
    ] as const) {
      element.define();
      element.define();
      expect(customElements.get(tag), tag).to.equal(element);
    }
    expect(document.createElement('juggler-bind')).to.be.instanceOf(JugglerBind);
  });

  it('takes another tag (for a subclass) and another registry', () => {
    class PlantBind extends JugglerBind {}
    PlantBind.define('plant-bind');
    expect(customElements.get('plant-bind')).to.equal(PlantBind);

    const registry = new CustomElementRegistry();
    class ScopedStatus extends JugglerStatus {}
    ScopedStatus.define(undefined, registry);
    expect(registry.get('juggler-status')).to.equal(ScopedStatus);
  });

  it('throws, naming the tag, when another class holds it', () => {
    class Other extends HTMLElement {}
    customElements.define('taken-send', Other);
    class MySend extends JugglerSend {}
    expect(() => MySend.define('taken-send')).to.throw(/<taken-send> is already defined by another class \(Other\)/);
  });
});
