// Installed into a page by BrowserIT: window.h drives the node's client library as an application would,
// and records what it sees for the test to read. Every function returns something JSON can carry.
window.h = (() => {
  const h = {events: [], states: [], client: null, session: null, pool: null, call: null, media: null, videos: []};
  const note = (type, detail) => h.events.push({type, at: Date.now(), ...(detail || {})});

  async function client() {
    if (!h.client) h.client = await import('/signal/client.js');
    return h.client;
  }

  h.media = async () => {
    if (!h.media.stream) h.media.stream = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 320, height: 240}});
    return h.media.stream;
  };

  function follow(call) {
    h.call = call;
    call.on('negotiated', (type) => note('negotiated', {type}));
    call.on('relay', (c) => note('relay', {channel: c.channel}));
    call.on('state', (s) => h.states.push(s));
    call.on('error', (e) => note('call-error', {message: String(e && e.message)}));
    call.on('ended', (why) => note('call-ended', {why}));
    call.on('track', (track) => {
      const v = document.createElement('video');
      v.muted = true;
      v.autoplay = true;
      v.playsInline = true;
      v.srcObject = new MediaStream([track]);
      document.body.append(v);
      v.play().catch(() => {});
      h.videos.push(v);
      note('track', {kind: track.kind});
    });
  }

  h.start = async (url, token) => {
    const {connect} = await client();
    const s = connect(url, {token, reconnectionDelay: 300, reconnectionDelayMax: 1000});
    h.session = s;
    for (const ev of ['connect', 'disconnect', 'reconnect_attempt', 'reconnect', 'reconnect_failed']) {
      s.on(ev, (a) => note(ev, a && typeof a === 'object' ? {detail: a} : {detail: a === undefined ? null : a}));
    }
    s.on('error', (e) => note('error', {message: String(e && e.message), code: e && e.code}));
    s.on('call', async (call) => {
      note('incoming');
      follow(call);
      call.answer(await h.media());
    });
    await new Promise((resolve, reject) => {
      s.once('connect', resolve);
      setTimeout(() => reject(new Error('no connect within 10 s')), 10000);
    });
    return s.endpoint;
  };

  h.join = async (name) => {
    const pool = await h.session.join(name);
    h.pool = pool;
    for (const ev of ['peer-joined', 'peer-left', 'peer-status', 'peer-description']) pool.on(ev, (p) => note(ev, {endpoint: p.endpoint}));
    pool.on('message', (m) => note('message', {from: m.from, body: m.body}));
    return [...pool.peers.keys()];
  };

  h.peers = () => (h.pool ? [...h.pool.peers.keys()] : []);

  h.callAt = async (peer, at, relay = true) => {
    const media = await h.media();
    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
    const call = await h.pool.call(peer, {media, relay});
    if (h.call !== call) follow(call);
    return call.channel;
  };

  // the demo's calls, followed as the page's own are (states, errors, end)
  if (window.demo && window.demo.session === null) {
    const seen = new Set();
    setInterval(() => {
      for (const call of window.demo.calls.values()) {
        if (seen.has(call)) continue;
        seen.add(call);
        h.states.push('(' + call.connectionState + ')');
        call.on('state', (st) => h.states.push(st));
        call.on('error', (e) => note('call-error', {message: String(e && e.message)}));
        call.on('negotiated', (type) => note('negotiated', {type}));
        call.on('relay', (c) => note('relay', {channel: c.channel}));
      }
    }, 20);
  }

  // the call a page has: its own (window.h) or the demo's
  h.theCall = () => h.call || (window.demo && window.demo.calls.values().next().value) || null;

  // the call's descriptions, for a failure's report
  h.sdp = () => {
    const call = h.theCall();
    return call ? {local: call.pc.localDescription && call.pc.localDescription.sdp,
      remote: call.pc.remoteDescription && call.pc.remoteDescription.sdp} : null;
  };

  h.info = async () => {
    const call = h.theCall();
    if (!call) return null;
    const stats = await call.pc.getStats();
    const inbound = [];
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        inbound.push({kind: s.kind, mid: s.mid, trackIdentifier: s.trackIdentifier || null, frameWidth: s.frameWidth || 0,
          packetsReceived: s.packetsReceived || 0, framesDecoded: s.framesDecoded || 0});
      }
    });
    const candidates = [];
    stats.forEach((s) => {
      if (s.type === 'remote-candidate') candidates.push({address: s.address ?? s.ip, port: s.port, type: s.candidateType});
    });
    const locals = [];
    stats.forEach((s) => {
      if (s.type === 'local-candidate') locals.push({address: s.address ?? s.ip, port: s.port, type: s.candidateType});
    });
    const channels = [...call.channels.values()];
    return {
      endpoint: call.pc && h.session ? h.session.endpoint : null,
      state: call.connectionState,
      channel: call.channel,
      port: call.channel && call.channels.get(call.channel) ? call.channels.get(call.channel).port : null,
      channels,
      polite: call.polite,
      collisions: call.collisions,
      pair: await call.selectedCandidatePair(),
      remoteCandidates: candidates,
      localCandidates: locals,
      signalingState: call.pc.signalingState,
      iceState: call.pc.iceConnectionState,
      gathering: call.pc.iceGatheringState,
      inbound,
      remoteTracks: call.remoteStream.getTracks().map((t) => t.kind),
      senders: call.pc.getSenders().filter((s) => s.track).length,
      states: h.states.slice(),
    };
  };

  // switching camera: the video the call sends becomes a 160x120 canvas, with replaceTrack (no renegotiation)
  h.switchCamera = async () => {
    const call = h.theCall();
    const sender = call.pc.getSenders().find((x) => x.track && x.track.kind === 'video');
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const ctx = canvas.getContext('2d');
    let n = 0;
    setInterval(() => {
      ctx.fillStyle = `hsl(${(n += 11) % 360} 70% 40%)`;
      ctx.fillRect(0, 0, 160, 120);
    }, 50);
    const track = canvas.captureStream(20).getVideoTracks()[0];
    const before = call.pc.signalingState;
    await call.replaceTrack(sender.track, track);
    return {before, after: call.pc.signalingState};
  };

  // a second video track: a canvas that changes every frame, added to the live call (a renegotiation)
  h.addCanvasTrack = () => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const ctx = canvas.getContext('2d');
    let n = 0;
    setInterval(() => {
      ctx.fillStyle = `hsl(${(n += 7) % 360} 80% 50%)`;
      ctx.fillRect(0, 0, 160, 120);
      ctx.fillStyle = '#fff';
      ctx.fillText(String(n), 10, 60);
    }, 50);
    const stream = canvas.captureStream(20);
    h.theCall().addTrack(stream.getVideoTracks()[0], stream);
    return stream.getVideoTracks()[0].id;
  };

  h.restartIce = async () => {
    const call = h.theCall();
    await call.restartIce();
    return call.channel;
  };

  h.send = async (body) => {
    const ack = await h.pool.send(body, {receipts: true});
    return {mid: ack.mid, recipients: ack.recipients, delivered: ack.delivered.map((d) => d.endpoint)};
  };

  return h;
})();
