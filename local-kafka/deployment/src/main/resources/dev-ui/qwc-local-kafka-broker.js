import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/button';
import '@vaadin/grid';
import { broker } from 'build-time-data';

/**
 * The shared local Kafka broker of dev mode: where it is, how to stop it, and its topics
 * (listed live through the 'topics' build-time action of LocalKafkaProcessor).
 */
export class QwcLocalKafkaBroker extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        .broker { padding: 10px; }
        .broker td:first-child { color: var(--lumo-secondary-text-color); padding-right: 1em; }
        code { font-size: var(--lumo-font-size-s); }
        .topics { padding: 10px; }
    `;

    static properties = {
        _topics: { state: true },
        _error: { state: true }
    };

    connectedCallback() {
        super.connectedCallback();
        this._refresh();
    }

    _refresh() {
        this._error = null;
        this.jsonRpc.topics()
            .then(response => { this._topics = response.result; })
            .catch(failure => { this._topics = []; this._error = failure?.error?.message ?? String(failure); });
    }

    render() {
        return html`
            <table class="broker">
                <tr><td>Address</td><td><code>${broker.address}</code></td></tr>
                <tr><td>Process</td><td>pid ${broker.pid}, started by ${broker.startedBy}</td></tr>
                <tr><td>Directory</td><td><code>${broker.directory}</code></td></tr>
                <tr><td>Address file</td><td><code>${broker.stateFile}</code></td></tr>
                <tr><td>Log</td><td><code>${broker.log}</code></td></tr>
                <tr><td>Stop it</td><td><code>${broker.stop}</code> (it outlives the apps that use it)</td></tr>
            </table>
            <div class="topics">
                <vaadin-button @click=${() => this._refresh()}>Refresh topics</vaadin-button>
                ${this._error ? html`<p>${this._error}</p>` : ''}
                <vaadin-grid .items=${this._topics ?? []} theme="no-border" all-rows-visible>
                    <vaadin-grid-column path="name" header="Topic" auto-width></vaadin-grid-column>
                    <vaadin-grid-column path="partitions" header="Partitions" auto-width></vaadin-grid-column>
                </vaadin-grid>
            </div>`;
    }
}
customElements.define('qwc-local-kafka-broker', QwcLocalKafkaBroker);
