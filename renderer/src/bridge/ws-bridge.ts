/**
 * The browser-side bridge: MeridianBridge over the web host's WebSocket
 * (/ws). Requests are {id, method, input}; responses {id, ok, value|error};
 * events {event, payload}. Requests made while the socket is (re)connecting
 * wait for it; a lost connection fails the requests in flight with a message
 * that says what to do, and the bridge reconnects with backoff.
 */
import type { ContractInput, ContractMethod, ContractOutputs } from '../../../shared/api/contract';
import { CONNECTION_EVENT, isContractEvent } from '../../../shared/api/contract-events';
import type { ApiError, BridgeEventName, BridgeEvents, ConnectionEvent, MeridianBridge } from './api';

export class BridgeError extends Error implements ApiError {
  readonly code: ApiError['code'];
  readonly problems: ApiError['problems'];
  constructor(e: ApiError) {
    super(e.message);
    this.name = 'BridgeError';
    this.code = e.code;
    this.problems = e.problems ?? [];
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface WsBridgeOptions {
  /** Defaults to ws(s)://<page host>/ws. */
  url?: string;
  /** Starts a download of a same-origin URL (browser host exports). */
  download?: (url: string, fileName: string) => void;
}

function defaultDownload(url: string, fileName: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function createWsBridge(options: WsBridgeOptions = {}): MeridianBridge {
  const url = options.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const download = options.download ?? defaultDownload;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, Pending>();
  let queue: string[] = [];
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let connection: ConnectionEvent = { state: 'connecting' };

  const emit = (event: string, payload: unknown) => {
    for (const l of listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch (e) {
        console.error(e);
      }
    }
  };
  const setConnection = (c: ConnectionEvent) => {
    connection = c;
    emit(CONNECTION_EVENT, c);
  };

  const connect = () => {
    setConnection({ state: 'connecting' });
    const s = new WebSocket(url);
    socket = s;
    s.onopen = () => {
      attempt = 0;
      setConnection({ state: 'connected' });
      const q = queue;
      queue = [];
      for (const m of q) s.send(m);
    };
    s.onmessage = (ev) => {
      let msg: { id?: number | null; ok?: boolean; value?: unknown; error?: ApiError; event?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (typeof msg.event === 'string') {
        if (isContractEvent(msg.event)) emit(msg.event, msg.payload); // contract events only (CONTRACT_EVENTS)
        return;
      }
      if (typeof msg.id !== 'number') {
        if (msg.error) console.error('Meridian host refused a request:', msg.error.message);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new BridgeError(msg.error ?? { code: 'INTERNAL', message: 'The Meridian host sent an empty error.', problems: [] }));
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      const lost = new BridgeError({
        code: 'INTERNAL',
        message: 'The connection to the Meridian host was lost before it answered. If you stopped it, start it again (npm run start:web); this window reconnects on its own. Check whether your last change was saved before repeating it.',
        problems: [],
      });
      for (const p of pending.values()) p.reject(lost);
      pending.clear();
      attempt++;
      const delay = Math.min(10, 0.5 * 2 ** Math.min(attempt, 5));
      setConnection({ state: 'disconnected', retryInSeconds: delay });
      setTimeout(connect, delay * 1000);
    };
  };

  function call<M extends ContractMethod>(method: M, input: ContractInput<M>): Promise<ContractOutputs[M]>;
  function call(method: ContractMethod, input: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const text = JSON.stringify({ id, method, input: input ?? {} });
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    });
  }

  const bridge = {
    listFunds: (input) => call('listFunds', input),
    fundMetrics: (input) => call('fundMetrics', input),
    listDeals: (input) => call('listDeals', input),
    listInvestors: (input) => call('listInvestors', input),
    listIndexNames: (input) => call('listIndexNames', input),
    listAllocations: (input) => call('listAllocations', input),
    listCapitalCalls: (input) => call('listCapitalCalls', input),
    getCapitalCall: (input) => call('getCapitalCall', input),
    previewCapitalCall: (input) => call('previewCapitalCall', input),
    checkAllocation: (input) => call('checkAllocation', input),
    mutate: (input) => call('mutate', input),
    importCsv: (input) => call('importCsv', input),
    exportCsv: (input) => call('exportCsv', input),
    cancelJob: (input) => call('cancelJob', input),
    session: (input) => call('session', input),
    businessRules: (input) => call('businessRules', input),
    allocationRows: (input) => call('allocationRows', input),
    fundCashflows: (input) => call('fundCashflows', input),
    investorPositions: (input) => call('investorPositions', input),
    recordHistory: (input) => call('recordHistory', input),
    syncStatus: (input) => call('syncStatus', input),
    syncNow: (input) => call('syncNow', input),
    listRejections: (input) => call('listRejections', input),
    discardRejection: (input) => call('discardRejection', input),
    resubmitRejection: (input) => call('resubmitRejection', input),
    saveExport: async (input) => {
      const r = await call('saveExport', input);
      if (r?.downloadUrl) download(r.downloadUrl, r.file);
      return r;
    },
    saveReport: async (input) => {
      const r = await call('saveReport', input);
      if (r?.downloadUrl) download(r.downloadUrl, r.file);
      return r;
    },
    saveGridCsv: async (input) => {
      const r = await call('saveGridCsv', input);
      if (r?.downloadUrl) download(r.downloadUrl, r.file);
      return r;
    },
    signIn: (input) => call('signIn', input),
    signOut: (input) => call('signOut', input),
    creditBorrowers: (input) => call('creditBorrowers', input),
    creditWorkspace: (input) => call('creditWorkspace', input),
    creditAnalysis: (input) => call('creditAnalysis', input),
    on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      if (event === CONNECTION_EVENT) l(connection);
      return () => {
        set.delete(l);
      };
    },
  } satisfies MeridianBridge;

  connect();
  return bridge;
}
