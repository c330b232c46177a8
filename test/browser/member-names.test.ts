import { expect } from 'chai';
import { LitElement, html } from 'lit';
import '../../src/elements/define.js';
import { JugglerController } from '../../src/elements/controller/juggler-controller.js';
import { cleanUp, connectedPage, typeInto } from './fixture.js';
import { until } from './peer-control.js';

afterEach(cleanUp);

const shown = (bind: Element) => bind.textContent;
const prototypeMembers = Object.getOwnPropertyNames(Object.prototype);

describe('keys named constructor, prototype and __proto__ in the elements', () => {
  it('are shown, listed by, followed and written through like any other key', async () => {
    class MemberNameGauge extends LitElement {
      reading = new JugglerController<string>(this, { path: '/constructor' });
      override render() {
        return html`<span>${this.reading.value ?? 'none'}</span>`;
      }
    }
    customElements.define('member-name-gauge', MemberNameGauge);
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" delay="0">
        <juggler-bind id="ctor" path="/constructor">none</juggler-bind>
        <juggler-bind id="proto-x" path="/__proto__/x"></juggler-bind>
        <juggler-bind id="prototype" path="/prototype/0/constructor"></juggler-bind>
        <juggler-list path="/rows" key="/constructor"><template><juggler-bind class="row" path="/__proto__"></juggler-bind></template></juggler-list>
        <juggler-bind id="write-proto" path="/__proto__/name" source="local"><input></juggler-bind>
        <juggler-bind id="write-ctor" path="/constructor" source="local"><input></juggler-bind>
        <member-name-gauge></member-name-gauge>
      </juggler-connection>`,
    );
    const bind = (id: string) => connection.querySelector(`#${id}`)!;
    const gauge = connection.querySelector('member-name-gauge') as MemberNameGauge;
    const gaugeText = () => gauge.shadowRoot!.querySelector('span')!.textContent;
    const rows = () => [...connection.querySelectorAll('.row')].map(shown);
    await gauge.updateComplete;
    // Before any data, an inherited member is not a value: the fallback shows (not `function Object()`).
    expect(shown(bind('ctor'))).to.equal('none');
    expect(gaugeText()).to.equal('none');

    await peer.setJson(
      '',
      '{"constructor":"c1","__proto__":{"x":"p1"},"prototype":[{"constructor":"in an array"}],"rows":[{"constructor":1,"__proto__":"a"},{"constructor":2,"__proto__":"b"}]}',
    );
    await until(() => shown(bind('ctor')) === 'c1' && shown(bind('proto-x')) === 'p1' && rows().join() === 'a,b', 'the first values');
    expect(shown(bind('prototype'))).to.equal('in an array');
    await until(() => gaugeText() === 'c1', 'the controller to follow /constructor');

    // The next updates to those members, which used to close the connection.
    await peer.set('/__proto__/x', 'p2');
    await peer.set('/constructor', 'c2');
    await peer.set('/rows/1/__proto__', 'b2');
    await until(() => shown(bind('proto-x')) === 'p2' && shown(bind('ctor')) === 'c2' && rows().join() === 'a,b2', 'the updates');
    await until(() => gaugeText() === 'c2', 'the controller to follow the update');
    expect(connection.status).to.equal('open');

    typeInto(bind('write-proto').querySelector('input')!, 'Ada');
    typeInto(bind('write-ctor').querySelector('input')!, 'Grace');
    gauge.reading.write('by the controller', '/prototype');
    expect(JSON.stringify(connection.localData)).to.equal('{"__proto__":{"name":"Ada"},"constructor":"Grace","prototype":"by the controller"}');
    await until(
      async () => JSON.stringify(await peer.remote()) === '{"__proto__":{"name":"Ada"},"constructor":"Grace","prototype":"by the controller"}',
      'the writes at the server',
    );
    expect(Object.getPrototypeOf(connection.localData)).to.equal(Object.prototype);
    expect(Object.getPrototypeOf(connection.remoteData)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).name).to.equal(undefined);
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
    expect(Object.getOwnPropertyNames(Object.prototype)).to.deep.equal(prototypeMembers);
  });

  it('are sent as form fields by <juggler-send>', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send message='{"action":"save"}'><form>
        <input name="__proto__" value="p"><input name="constructor" value="c"><input name="prototype" type="number" value="3">
        <button>Save</button></form></juggler-send></juggler-connection>`,
    );
    connection.querySelector('button')!.click();
    await until(async () => (await peer.messages()).length === 1, 'the message');
    expect(JSON.stringify(await peer.messages())).to.equal('[{"action":"save","__proto__":"p","constructor":"c","prototype":3}]');
    expect(Object.getOwnPropertyNames(Object.prototype)).to.deep.equal(prototypeMembers);
  });
});
