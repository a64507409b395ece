// Relay signalling client: an ES module with no dependencies, served by the node at /signal/client.js.
// The wire protocol it speaks is in DESIGN.md, "Signalling"; its API is in README, "Browser client".

const CLOSE = {unauthorized: 4401, kicked: 4403, replaced: 4409, tooMany: 4429, drop: 4000};

/** A small event emitter: on/off/once/emit, listeners called in order, a throwing one never stops the others. */
class Emitter {
  #listeners = new Map();

  on(event, fn) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, []);
    this.#listeners.get(event).push(fn);
    return this;
  }

  off(event, fn) {
    const list = this.#listeners.get(event);
    if (!list) return this;
    if (!fn) this.#listeners.delete(event);
    else this.#listeners.set(event, list.filter((f) => f !== fn && f.fn !== fn));
    return this;
  }

  once(event, fn) {
    const wrapper = (...args) => {
      this.off(event, wrapper);
      fn.apply(this, args);
    };
    wrapper.fn = fn;
    return this.on(event, wrapper);
  }

  emit(event, ...args) {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const fn of [...list]) {
      try {
        fn.apply(this, args);
      } catch (e) {
        if (event !== 'error') this.emit('error', e);
        else setTimeout(() => { throw e; });
      }
    }
    return true;
  }
}

/** An error the node answered ({code, message, and what else its error frame carried}) or the client's own. */
export class SignalError extends Error {
  constructor(code, message, extra = {}) {
    super(message || code);
    this.name = 'SignalError';
    this.code = code;
    Object.assign(this, extra);
  }
}

const defaults = {
  token: undefined,
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  timeout: 20000,
  autoReceipts: true,
  iceServers: [],
};

/**
 * Opens a session with the node at {@code url} (ws:// or wss://; http(s):// is turned into ws(s)://;
 * a URL without a path gets /signal). Returns the Session at once; it emits 'connect' when welcomed.
 */
export function connect(url, options = {}) {
  return new Session(url, options);
}

function wsUrl(url) {
  const u = new URL(url, typeof location !== 'undefined' ? location.href : undefined);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/signal';
  return u.toString();
}

/** One endpoint's session with the node: survives dropped connections by resuming. */
export class Session extends Emitter {
  #url;
  #ws = null;
  #seq = 0;
  #pending = new Map(); // id -> {resolve, reject, timer, frame}
  #outbox = []; // frames waiting for a connection
  #resume = null;
  #attempts = 0;
  #reconnectTimer = null;
  #closedByUser = false;
  #pingTimer = null;
  #heartbeat = 25;
  #pools = new Map(); // name -> Pool
  #calls = new Map(); // peer endpoint -> Call
  #receipts = new Map(); // mid -> {want, got: [], resolve, timer}
  #everConnected = false;

  constructor(url, options = {}) {
    super();
    this.options = {...defaults, ...options};
    this.#url = wsUrl(url);
    /** This endpoint's id (null before the first welcome); it stays across resumes. */
    this.endpoint = null;
    /** The user the token names. */
    this.user = null;
    this.connected = false;
    setTimeout(() => this.#open(), 0);
  }

  /** socket.io's name for the endpoint id. */
  get id() {
    return this.endpoint;
  }

  /** The pools this session is in, by name. */
  get pools() {
    return new Map(this.#pools);
  }

  /** The managed calls, by peer endpoint. */
  get calls() {
    return new Map(this.#calls);
  }

  #open() {
    if (this.#closedByUser) return;
    let ws;
    try {
      ws = new WebSocket(this.#url);
    } catch (e) {
      this.emit('error', e);
      this.#scheduleReconnect();
      return;
    }
    this.#ws = ws;
    let welcomed = false;
    const timer = setTimeout(() => {
      if (!welcomed) {
        this.emit('error', new SignalError('timeout', 'no welcome within ' + this.options.timeout + ' ms'));
        ws.close(CLOSE.drop, 'timeout');
      }
    }, this.options.timeout);
    ws.onopen = () => {
      const hello = {type: 'hello'};
      if (this.#resume) hello.resume = this.#resume;
      else hello.token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;
      Promise.resolve(hello.token).then((token) => {
        if (!this.#resume) hello.token = token;
        ws.send(JSON.stringify(hello));
      });
    };
    ws.onmessage = (e) => {
      let f;
      try {
        f = JSON.parse(e.data);
      } catch (err) {
        this.emit('error', new SignalError('invalid_json', 'the node sent something that is not JSON'));
        return;
      }
      if (f.type === 'welcome') {
        welcomed = true;
        clearTimeout(timer);
        this.#welcome(f);
      } else {
        this.#frame(f);
      }
    };
    ws.onclose = (e) => {
      clearTimeout(timer);
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#closed(e.code, e.reason, welcomed);
    };
    ws.onerror = () => {}; // onclose follows
  }

  #welcome(f) {
    const resumedAttempt = this.#resume != null;
    const reconnecting = this.#everConnected;
    const previous = this.endpoint;
    this.endpoint = f.endpoint;
    this.user = f.user;
    this.#resume = f.resume;
    this.#heartbeat = f.heartbeat || 25;
    this.connected = true;
    const attempts = this.#attempts;
    this.#attempts = 0;
    this.#startPing();
    if (reconnecting && !f.resumed) {
      // a new session: the old endpoint is gone for the others, and so are its calls
      for (const call of this.#calls.values()) call._end('session-ended');
      this.#calls.clear();
    }
    const outbox = this.#outbox;
    this.#outbox = [];
    for (const frame of outbox) this.#write(frame);
    // as socket.io's socket: 'connect' on every (re)connection, 'reconnect' after a drop
    this.emit('connect', {endpoint: this.endpoint, user: this.user, resumed: !!f.resumed});
    if (!reconnecting) {
      this.#everConnected = true;
      return;
    }
    if (!f.resumed) {
      // join again what we were in, as a new endpoint
      for (const pool of this.#pools.values()) pool._rejoin();
    }
    this.emit('reconnect', {attempts, resumed: !!f.resumed, endpoint: this.endpoint, previous, resumedAttempt});
  }

  #closed(code, reason, welcomed) {
    const was = this.connected;
    this.connected = false;
    this.#stopPing();
    for (const [id, p] of this.#pending) {
      if (p.frame.type === 'hello') continue;
      clearTimeout(p.timer);
      p.reject(new SignalError('disconnected', 'the connection dropped before the node answered'));
      this.#pending.delete(id);
    }
    if (this.#closedByUser || code === 1000) {
      this.#endAll('closed');
      if (was) this.emit('disconnect', 'io client disconnect', {code, reason});
      return;
    }
    if (code === CLOSE.unauthorized && this.#resume) {
      // the session is gone (expired or used): next attempt with the token, as a new endpoint
      this.#resume = null;
    } else if (code === CLOSE.unauthorized || code === CLOSE.kicked || code === CLOSE.replaced) {
      const why = code === CLOSE.kicked ? 'kicked' : code === CLOSE.replaced ? 'replaced' : 'unauthorized';
      this.#endAll(why);
      if (was) this.emit('disconnect', why, {code, reason});
      this.emit('error', new SignalError(why, reason || why, {closeCode: code}));
      return;
    }
    if (was) this.emit('disconnect', 'transport close', {code, reason});
    if (!welcomed && !was && code !== CLOSE.unauthorized) {
      this.emit('error', new SignalError('connect_error', 'could not connect (close ' + code + ')', {closeCode: code}));
    }
    this.#scheduleReconnect();
  }

  #endAll(why) {
    for (const call of this.#calls.values()) call._end(why);
    this.#calls.clear();
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new SignalError('disconnected', 'the session ended'));
      this.#pending.delete(id);
    }
    for (const f of this.#outbox) if (f._reject) f._reject(new SignalError('disconnected', 'the session ended'));
    this.#outbox = [];
  }

  #scheduleReconnect() {
    if (!this.options.reconnection || this.#closedByUser) return;
    if (this.#attempts >= this.options.reconnectionAttempts) {
      this.#endAll('reconnect_failed');
      this.emit('reconnect_failed');
      return;
    }
    const base = Math.min(this.options.reconnectionDelayMax, this.options.reconnectionDelay * 2 ** this.#attempts);
    const jitter = base * this.options.randomizationFactor * (Math.random() * 2 - 1);
    const delay = Math.max(0, Math.min(this.options.reconnectionDelayMax, Math.round(base + jitter)));
    this.#attempts++;
    this.#reconnectTimer = setTimeout(() => {
      this.emit('reconnect_attempt', this.#attempts);
      this.#open();
    }, this.#everConnected || this.#attempts > 1 ? delay : 0);
  }

  #startPing() {
    this.#stopPing();
    const period = this.#heartbeat * 1000;
    this.#pingTimer = setInterval(() => {
      this.request({type: 'ping'}, {timeout: period}).catch((e) => {
        if (e.code === 'timeout' && this.#ws) this.#ws.close(CLOSE.drop, 'no answer to ping');
      });
    }, period);
  }

  #stopPing() {
    clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  #write(frame) {
    if (this.connected && this.#ws && this.#ws.readyState === WebSocket.OPEN) {
      const {_reject, ...plain} = frame;
      this.#ws.send(JSON.stringify(plain));
    } else {
      this.#outbox.push(frame);
    }
  }

  /**
   * Sends one client frame and resolves with the node's ack (without type and id), or rejects with a
   * SignalError (the node's error code, or 'timeout', or 'disconnected'). Frames sent while the
   * connection is down wait for it.
   */
  request(frame, {timeout = this.options.timeout} = {}) {
    return new Promise((resolve, reject) => {
      const id = 'c' + ++this.#seq;
      const f = {...frame, id};
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SignalError('timeout', 'no answer to ' + frame.type + ' within ' + timeout + ' ms'));
      }, timeout);
      this.#pending.set(id, {resolve, reject, timer, frame: f});
      f._reject = (e) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(e);
      };
      this.#write(f);
    });
  }

  #frame(f) {
    if ((f.type === 'ack' || f.type === 'error') && f.id != null) {
      const p = this.#pending.get(f.id);
      if (p) {
        this.#pending.delete(f.id);
        clearTimeout(p.timer);
        const {type, id, ...rest} = f;
        if (type === 'ack') p.resolve(rest);
        else p.reject(new SignalError(rest.error, rest.message, rest));
      }
      return;
    }
    if (f.type === 'error') {
      this.emit('error', new SignalError(f.error, f.message, f));
      return;
    }
    switch (f.type) {
      case 'peer-joined':
      case 'peer-left':
      case 'peer-status':
      case 'peer-description': {
        const pool = this.#pools.get(f.pool);
        if (pool) pool._event(f);
        if (f.type === 'peer-left') this.#peerMaybeGone(f.endpoint);
        break;
      }
      case 'message':
      case 'data': {
        const {type, ...msg} = f;
        const pool = f.pool != null ? this.#pools.get(f.pool) : this.#poolOf(f.from);
        if (pool) pool.emit(type, msg);
        this.emit(type, msg);
        if (this.options.autoReceipts && f.mid) {
          this.request({type: 'delivered', mid: f.mid}).catch(() => {});
        }
        break;
      }
      case 'delivered': {
        const r = this.#receipts.get(f.mid);
        if (r) {
          r.got.push({endpoint: f.endpoint, user: f.user});
          if (r.got.length >= r.want) {
            this.#receipts.delete(f.mid);
            clearTimeout(r.timer);
            r.resolve(r.got);
          }
        }
        this.emit('delivered', {mid: f.mid, endpoint: f.endpoint, user: f.user});
        break;
      }
      case 'signal': {
        const data = f.data || {};
        const offer = data.description && data.description.type === 'offer';
        // an offer may start a call; anything else for a call that is over is late news
        if (offer || this.#calls.has(f.from)) this.#callFor(f.from, f.user, {})._signal(data);
        break;
      }
      case 'relay':
        this.#callFor(f.from, f.user, {relay: true})._relayOffered(f);
        break;
      case 'relay-ended':
        for (const call of this.#calls.values()) call._relayEnded(f.channel);
        break;
      default:
        this.emit('frame', f);
    }
  }

  #poolOf(endpoint) {
    for (const pool of this.#pools.values()) if (pool.peers.has(endpoint)) return pool;
    return null;
  }

  #peerMaybeGone(endpoint) {
    if (this.#poolOf(endpoint)) return;
    const call = this.#calls.get(endpoint);
    if (call) call._end('peer-left');
  }

  #callFor(peer, user, {relay}) {
    let call = this.#calls.get(peer);
    if (!call) {
      call = new Call(this, peer, {relay: !!relay, user, incoming: true});
      this.#calls.set(peer, call);
      const pool = this.#poolOf(peer);
      if (pool) pool.emit('call', call);
      this.emit('call', call);
    }
    return call;
  }

  _forgetCall(call) {
    if (this.#calls.get(call.peer) === call) this.#calls.delete(call.peer);
  }

  _newCall(peer, options) {
    let call = this.#calls.get(peer);
    if (call) return {call, created: false};
    call = new Call(this, peer, options);
    this.#calls.set(peer, call);
    return {call, created: true};
  }

  _waitReceipts(mid, want, timeout) {
    return new Promise((resolve, reject) => {
      if (want === 0) {
        resolve([]);
        return;
      }
      const timer = setTimeout(() => {
        const r = this.#receipts.get(mid);
        this.#receipts.delete(mid);
        reject(new SignalError('timeout', (r ? r.got.length : 0) + ' of ' + want + ' receipts within ' + timeout + ' ms'));
      }, timeout);
      this.#receipts.set(mid, {want, got: [], resolve, timer});
    });
  }

  /** Joins a pool: resolves with its Pool (peers filled in) once the node acknowledged. */
  async join(name) {
    let pool = this.#pools.get(name);
    if (!pool) {
      pool = new Pool(this, name);
      this.#pools.set(name, pool);
    }
    try {
      pool._joined(await this.request({type: 'join', pool: name}));
    } catch (e) {
      if (!pool.joined) this.#pools.delete(name);
      throw e;
    }
    return pool;
  }

  _left(pool) {
    this.#pools.delete(pool.name);
  }

  /** Sets this endpoint's status (any JSON or null); its pools get peer-status. */
  status(data) {
    return this.request({type: 'status', data: data === undefined ? null : data});
  }

  /** A message to {to: endpoint} or {user: jid}: resolves like Pool.send. */
  send(body, target, options) {
    return sendTo(this, 'message', 'body', body, target, options);
  }

  /** Custom data to {to} or {user}: resolves like Pool.sendData. */
  sendData(data, target, options) {
    return sendTo(this, 'data', 'data', data, target, options);
  }

  /** Closes the connection cleanly (1000): the session ends, peers see it leave, calls hang up. */
  disconnect() {
    this.#closedByUser = true;
    clearTimeout(this.#reconnectTimer);
    for (const call of this.#calls.values()) call.hangup();
    this.#stopPing();
    if (this.#ws) this.#ws.close(1000, 'bye');
    else this.#endAll('closed');
  }

  /** Drops the connection as a network failure would (close 4000): the session waits for its resume. For tests. */
  drop() {
    if (this.#ws) this.#ws.close(CLOSE.drop, 'dropped');
  }
}

async function sendTo(session, type, key, payload, target = {}, {receipts = false, timeout} = {}) {
  const frame = {type, [key]: payload};
  if (target.to) frame.to = target.to;
  else if (target.user) frame.user = target.user;
  else if (target.pool) frame.pool = target.pool;
  const ack = await session.request(frame);
  if (!receipts) return ack;
  const delivered = await session._waitReceipts(ack.mid, ack.recipients, timeout || session.options.timeout);
  return {...ack, delivered};
}

/** A pool this session joined. */
export class Pool extends Emitter {
  constructor(session, name) {
    super();
    this.session = session;
    this.name = name;
    /** The other members, by endpoint: {endpoint, user, description, status}. */
    this.peers = new Map();
    /** This endpoint's own description in the pool (the back-end's word). */
    this.ownDescription = null;
    this.joined = false;
  }

  _joined(ack) {
    this.joined = true;
    this.ownDescription = ack.description ?? null;
    const before = new Set(this.peers.keys());
    this.peers.clear();
    for (const p of ack.peers || []) {
      this.peers.set(p.endpoint, {endpoint: p.endpoint, user: p.user, description: p.description ?? null, status: p.status ?? null});
    }
    for (const p of this.peers.values()) if (!before.has(p.endpoint)) this.emit('peer-joined', p);
    for (const e of before) if (!this.peers.has(e)) this.emit('peer-left', {endpoint: e, pool: this.name});
  }

  _rejoin() {
    this.session.request({type: 'join', pool: this.name}).then((ack) => this._joined(ack),
        (e) => this.emit('error', e));
  }

  _event(f) {
    const {type, pool, ...rest} = f;
    if (type === 'peer-joined') {
      const p = {endpoint: f.endpoint, user: f.user, description: f.description ?? null, status: f.status ?? null};
      this.peers.set(f.endpoint, p);
      this.emit(type, p);
    } else if (type === 'peer-left') {
      const p = this.peers.get(f.endpoint) || rest;
      this.peers.delete(f.endpoint);
      this.emit(type, p);
    } else if (type === 'peer-status') {
      const p = this.peers.get(f.endpoint);
      if (p) p.status = f.data ?? null;
      this.emit(type, {endpoint: f.endpoint, user: f.user, status: f.data ?? null});
    } else if (type === 'peer-description') {
      const p = this.peers.get(f.endpoint);
      if (p) p.description = f.description ?? null;
      if (f.endpoint === this.session.endpoint) this.ownDescription = f.description ?? null;
      this.emit(type, {endpoint: f.endpoint, user: f.user, description: f.description ?? null});
    }
  }

  /** A peer's description (its own with this endpoint's id), or null. */
  description(peer) {
    if (peer === undefined || peer === this.session.endpoint) return this.ownDescription;
    const p = this.peers.get(peer);
    return p ? p.description : null;
  }

  /**
   * A message to every other member, or with {to: endpoint} / {user: jid} to those of the pool.
   * Resolves with the ack {mid, recipients}; with {receipts: true}, once every recipient's receipt
   * came, with {mid, recipients, delivered: [{endpoint, user}]}.
   */
  send(body, {to, user, receipts, timeout} = {}) {
    return sendTo(this.session, 'message', 'body', body, to ? {to} : user ? {user} : {pool: this.name}, {receipts, timeout});
  }

  /** Custom data, as send. */
  sendData(data, {to, user, receipts, timeout} = {}) {
    return sendTo(this.session, 'data', 'data', data, to ? {to} : user ? {user} : {pool: this.name}, {receipts, timeout});
  }

  /** Leaves the pool. */
  async leave() {
    await this.session.request({type: 'leave', pool: this.name});
    this.joined = false;
    this.session._left(this);
  }

  /**
   * Calls a peer of this pool (or returns the call already with it, adding the media): an
   * RTCPeerConnection under perfect negotiation. {media: a MediaStream to send (none: receive only),
   * relay: true to send all media through a relay channel of the node, iceServers}.
   */
  async call(peer, {media, relay = false, iceServers} = {}) {
    if (!this.peers.has(peer)) throw new SignalError('unknown_endpoint', 'no peer ' + peer + ' in pool ' + this.name);
    const {call, created} = this.session._newCall(peer, {relay, user: this.peers.get(peer).user, iceServers});
    if (created && relay) {
      try {
        await call._allocate();
      } catch (e) {
        call._end('relay-refused');
        throw e;
      }
    }
    if (media) call.addMedia(media);
    else if (created && call.pc.getTransceivers().length === 0) {
      call.pc.addTransceiver('audio', {direction: 'recvonly'});
      call.pc.addTransceiver('video', {direction: 'recvonly'});
    }
    return call;
  }
}

function stripCandidates(sdp) {
  return sdp.split(/\r\n/).filter((l) => !l.startsWith('a=candidate:') && !l.startsWith('a=end-of-candidates')).join('\r\n');
}

function iceUfrag(sdp) {
  const m = /^a=ice-ufrag:(\S+)/m.exec(sdp);
  return m ? m[1] : null;
}

function firstMid(sdp) {
  const m = /^a=mid:(\S+)/m.exec(sdp);
  return m ? m[1] : '0';
}

/**
 * A managed RTCPeerConnection with one peer, negotiated by perfect negotiation: the endpoint with
 * the smaller id is polite (it rolls back its own offer on a collision), the other ignores the
 * colliding offer. With relay, the relay channel's port on this side is the only remote candidate.
 * Events: track (track, streams), state (connectionState), negotiated, relay (channel), ended (reason), error.
 */
export class Call extends Emitter {
  #session;
  #queue = Promise.resolve();
  #channels = new Map(); // id -> {channel, host, port, rtcpPort, mine}
  #channelWaiters = new Map(); // id -> [resolve]
  #relayUfrag = null;

  constructor(session, peer, {relay = false, user = null, iceServers, incoming = false} = {}) {
    super();
    this.#session = session;
    this.peer = peer;
    this.peerUser = user;
    this.relay = relay;
    this.polite = session.endpoint < peer;
    this.makingOffer = false;
    this.ignoreOffer = false;
    /** Offers that crossed one of ours (glare): ignored when impolite, ours rolled back when polite. */
    this.collisions = 0;
    // a call the peer started: its offer is on the way, and our answer carries our tracks, so we make
    // no offer of our own before it (that would only collide); negotiationneeded fires again after the
    // answer if the answer could not carry everything
    this.awaitingOffer = incoming;
    /** The relay channel this call's media goes through now (null without relay). */
    this.channel = null;
    this.ended = false;
    this.localStreams = [];
    this.remoteStream = new MediaStream();
    const pc = new RTCPeerConnection({
      iceServers: iceServers || session.options.iceServers,
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
    });
    this.pc = pc;
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({candidate}) => {
      if (this.relay || this.ended) return; // the peer takes the relay's port only
      this.#send({candidate: candidate ? candidate.toJSON() : null});
    };
    pc.ontrack = (e) => {
      if (!this.remoteStream.getTrackById(e.track.id)) this.remoteStream.addTrack(e.track);
      e.track.addEventListener('ended', () => this.remoteStream.removeTrack(e.track));
      this.emit('track', e.track, e.streams);
    };
    pc.onconnectionstatechange = () => {
      this.emit('state', pc.connectionState);
      if (pc.connectionState === 'failed' && !this.ended) this.restartIce().catch((e) => this.emit('error', e));
    };
  }

  /** The relay channels this call knows ({channel, host, port, rtcpPort, mine}), by id. */
  get channels() {
    return new Map(this.#channels);
  }

  get connectionState() {
    return this.pc.connectionState;
  }

  /** Adds every track of a stream (or the stream's tracks not yet sent). */
  addMedia(stream) {
    if (!this.localStreams.includes(stream)) this.localStreams.push(stream);
    const sent = new Set(this.pc.getSenders().map((s) => s.track).filter(Boolean));
    for (const track of stream.getTracks()) if (!sent.has(track)) this.pc.addTrack(track, stream);
  }

  /** Adds one track (a renegotiation follows). */
  addTrack(track, stream) {
    if (stream && !this.localStreams.includes(stream)) this.localStreams.push(stream);
    return stream ? this.pc.addTrack(track, stream) : this.pc.addTrack(track);
  }

  /** Replaces the track a sender sends (switching camera: no renegotiation). */
  replaceTrack(oldTrack, newTrack) {
    const sender = this.pc.getSenders().find((s) => s.track === oldTrack);
    if (!sender) throw new SignalError('unknown_track', 'this call does not send that track');
    return sender.replaceTrack(newTrack);
  }

  /** Answers an incoming call with media (optional: the call negotiates by itself). */
  answer(media) {
    if (media) this.addMedia(media);
    return this;
  }

  /** Restarts ICE; with relay, on a new relay channel (the old ports stay latched to the old sockets). */
  async restartIce() {
    if (this.relay) await this._allocate();
    this.pc.restartIce();
  }

  /** Hangs up: closes the connection and tells the peer. */
  hangup() {
    if (this.ended) return;
    this.#send({bye: true});
    this._end('hangup');
  }

  _end(reason) {
    if (this.ended) return;
    this.ended = true;
    try {
      this.pc.close();
    } catch (e) { /* closed already */ }
    // the relay channels this side asked for: their ports and the user's quota are free at once
    for (const c of this.#channels.values()) {
      if (c.mine) this.#session.request({type: 'relay-end', channel: c.channel}).catch(() => {});
    }
    this.#session._forgetCall(this);
    this.emit('ended', reason);
  }

  /** Asks the node for a relay channel to the peer; it becomes the channel of the next offer. */
  async _allocate() {
    // rtcpMuxPolicy 'require': RTCP rides on the RTP port, so the channel needs no RTCP ports
    const ack = await this.#session.request({type: 'relay', to: this.peer, rtcpMux: true});
    this.#known({...ack, mine: true});
    this.channel = ack.channel;
    this.emit('relay', this.#channels.get(ack.channel));
    return ack.channel;
  }

  _relayOffered(f) {
    this.relay = true;
    this.#known({channel: f.channel, host: f.host, port: f.port, rtcpPort: f.rtcpPort, mine: false});
    if (this.channel == null) this.channel = f.channel;
  }

  _relayEnded(channel) {
    const known = this.#channels.delete(channel);
    if (known && channel === this.channel && !this.ended) this._end('relay-ended');
  }

  #known(c) {
    this.#channels.set(c.channel, c);
    for (const resolve of this.#channelWaiters.get(c.channel) || []) resolve(c);
    this.#channelWaiters.delete(c.channel);
  }

  #channelInfo(id) {
    const c = this.#channels.get(id);
    if (c) return Promise.resolve(c);
    return new Promise((resolve, reject) => {
      const list = this.#channelWaiters.get(id) || [];
      list.push(resolve);
      this.#channelWaiters.set(id, list);
      setTimeout(() => reject(new SignalError('unknown_channel', 'the peer named relay channel ' + id + ' which never came')),
          this.#session.options.timeout);
    });
  }

  #send(data) {
    this.#session.request({type: 'signal', to: this.peer, data}).catch((e) => {
      if (!this.ended) this.emit('error', e);
    });
  }

  async #negotiate() {
    if (this.ended) return;
    try {
      if (this.pc.signalingState !== 'stable') return; // it fires again once stable
      if (this.awaitingOffer) return; // our answer to the caller's offer negotiates our tracks
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.#send({description: this.pc.localDescription.toJSON(), relay: this.relay ? this.channel : undefined});
    } catch (e) {
      this.emit('error', e);
    } finally {
      this.makingOffer = false;
    }
  }

  _signal(data) {
    this.#queue = this.#queue.then(() => this.#handle(data)).catch((e) => {
      if (!this.ended) this.emit('error', e);
    });
  }

  async #handle({description, candidate, relay, bye}) {
    if (this.ended) return;
    const pc = this.pc;
    if (bye) {
      this._end('peer-hangup');
      return;
    }
    if (description) {
      const offerCollision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
      this.ignoreOffer = !this.polite && offerCollision;
      if (offerCollision) this.collisions++;
      if (this.ignoreOffer) return;
      if (relay) {
        this.relay = true;
        await this.#channelInfo(relay);
        this.channel = relay;
      }
      const remote = this.relay ? {type: description.type, sdp: stripCandidates(description.sdp)} : description;
      // a colliding offer rolls ours back inside this one operation (implicit rollback): a separate
      // rollback would leave the connection stable between the two, open to a negotiationneeded
      await pc.setRemoteDescription(remote);
      if (description.type === 'offer') {
        this.awaitingOffer = false;
        await pc.setLocalDescription();
        this.#send({description: pc.localDescription.toJSON(), relay: this.relay ? this.channel : undefined});
      }
      if (this.relay) await this.#relayCandidate(remote.sdp);
      this.emit('negotiated', description.type);
    } else if (candidate !== undefined) {
      if (this.relay) return; // only the relay's port
      try {
        await pc.addIceCandidate(candidate);
      } catch (e) {
        if (!this.ignoreOffer) throw e;
      }
    }
  }

  /** Makes this side's port of the call's relay channel the remote candidate of the current ICE generation. */
  async #relayCandidate(remoteSdp) {
    const ufrag = iceUfrag(remoteSdp);
    const key = ufrag + ' ' + this.channel;
    if (this.#relayUfrag === key || this.channel == null) return;
    const c = await this.#channelInfo(this.channel);
    this.#relayUfrag = key;
    await this.pc.addIceCandidate({
      candidate: `candidate:relay${c.port} 1 udp 2130706431 ${c.host} ${c.port} typ host generation 0 ufrag ${ufrag}`,
      sdpMid: firstMid(remoteSdp),
      sdpMLineIndex: 0,
      usernameFragment: ufrag,
    });
  }

  /**
   * The selected candidate pair from getStats: {local: {address, port, type}, remote: {address, port, type}}
   * or null before one is selected.
   */
  async selectedCandidatePair() {
    const stats = await this.pc.getStats();
    let pair = null;
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
    });
    if (!pair) stats.forEach((s) => {
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
    });
    if (!pair) return null;
    const side = (id) => {
      const c = stats.get(id);
      return c ? {address: c.address ?? c.ip, port: c.port, type: c.candidateType, protocol: c.protocol} : null;
    };
    return {local: side(pair.localCandidateId), remote: side(pair.remoteCandidateId),
      bytesSent: pair.bytesSent, bytesReceived: pair.bytesReceived};
  }
}
