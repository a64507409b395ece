// The video room: join a pool with a token, see its peers, call them (through the relay), hang up, chat.
// It uses nothing but the node's client library.
import {connect} from '/signal/client.js';

const $ = (id) => document.getElementById(id);
const state = {session: null, pool: null, media: null, camera: null, calls: new Map()};
window.demo = state; // for the browser test and the curious

function log(text) {
  $('log').textContent = text;
}

function label(peer) {
  const d = peer.description;
  return (d && (d.name || d.displayName)) || peer.user;
}

function camera() {
  // one stream for the page, asked for once
  state.camera ||= navigator.mediaDevices.getUserMedia({audio: true, video: {width: 320, height: 240}}).then((stream) => {
    state.media = stream;
    $('local').srcObject = stream;
    return stream;
  }, (err) => {
    state.camera = null;
    throw err;
  });
  return state.camera;
}

function renderPeers() {
  const ul = $('peers');
  ul.replaceChildren();
  for (const peer of state.pool ? state.pool.peers.values() : []) {
    const li = document.createElement('li');
    li.dataset.endpoint = peer.endpoint;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = label(peer);
    const call = state.calls.get(peer.endpoint);
    const st = document.createElement('span');
    st.className = 'state';
    st.textContent = call ? call.connectionState : '';
    name.append(st);
    const button = document.createElement('button');
    button.className = call ? 'hangup' : 'call';
    button.textContent = call ? 'Hang up' : 'Call';
    button.onclick = () => (call ? call.hangup() : startCall(peer.endpoint).catch((e) => log('call: ' + e.message)));
    li.append(name, button);
    ul.append(li);
  }
}

function tile(call) {
  let fig = document.querySelector(`figure[data-endpoint="${CSS.escape(call.peer)}"]`);
  if (!fig) {
    fig = document.createElement('figure');
    fig.className = 'tile';
    fig.dataset.endpoint = call.peer;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.srcObject = call.remoteStream;
    const cap = document.createElement('figcaption');
    const peer = state.pool && state.pool.peers.get(call.peer);
    cap.textContent = peer ? label(peer) : call.peerUser || call.peer;
    fig.append(video, cap);
    $('videos').append(fig);
  }
  return fig;
}

function follow(call) {
  state.calls.set(call.peer, call);
  call.on('track', () => {
    const video = tile(call).querySelector('video');
    if (video.srcObject !== call.remoteStream) video.srcObject = call.remoteStream;
    video.play().catch(() => {});
  });
  call.on('state', renderPeers);
  call.on('error', (e) => log('call: ' + e.message));
  call.on('ended', () => {
    state.calls.delete(call.peer);
    const fig = document.querySelector(`figure[data-endpoint="${CSS.escape(call.peer)}"]`);
    if (fig) fig.remove();
    renderPeers();
  });
  renderPeers();
}

async function startCall(peer) {
  const call = await state.pool.call(peer, {media: await camera(), relay: $('relay').checked});
  if (!state.calls.has(peer)) follow(call);
  return call;
}

function chat(who, text, mine) {
  const li = document.createElement('li');
  const w = document.createElement('span');
  w.className = 'who';
  w.textContent = who;
  li.append(w, document.createTextNode(text));
  $('chat').append(li);
  li.scrollIntoView({block: 'end'});
  return li;
}

$('join').onsubmit = async (e) => {
  e.preventDefault();
  log('');
  $('join-button').disabled = true;
  const url = new URL('/signal', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const session = connect(url.toString(), {token: $('token').value.trim()});
  state.session = session;
  session.on('error', (err) => log(err.message));
  session.on('disconnect', (why) => ($('me').textContent = 'disconnected (' + why + ')'));
  session.on('reconnect_attempt', (n) => ($('me').textContent = 'reconnecting (' + n + ')'));
  session.on('reconnect', ({resumed}) => ($('me').textContent = session.user + (resumed ? ' (resumed)' : ' (new session)')));
  session.on('call', async (call) => {
    follow(call);
    call.answer(await camera());
  });
  session.once('connect', async () => {
    $('me').textContent = session.user;
    try {
      const pool = await session.join($('pool').value.trim());
      state.pool = pool;
      for (const ev of ['peer-joined', 'peer-left', 'peer-status', 'peer-description']) pool.on(ev, renderPeers);
      pool.on('message', (m) => {
        const peer = pool.peers.get(m.from);
        chat(peer ? label(peer) : m.user, typeof m.body === 'string' ? m.body : JSON.stringify(m.body));
      });
      renderPeers();
      $('leave-button').disabled = false;
      $('text').disabled = false;
      $('send').disabled = false;
      camera().catch((err) => log('camera: ' + err.message));
    } catch (err) {
      log('join: ' + err.message);
      session.disconnect();
      $('join-button').disabled = false;
    }
  });
};

$('leave-button').onclick = () => {
  if (state.session) state.session.disconnect();
  state.session = null;
  state.pool = null;
  renderPeers();
  $('leave-button').disabled = true;
  $('join-button').disabled = false;
  $('text').disabled = true;
  $('send').disabled = true;
  $('me').textContent = 'not connected';
};

$('say').onsubmit = async (e) => {
  e.preventDefault();
  const text = $('text').value;
  if (!text || !state.pool) return;
  $('text').value = '';
  const li = chat('me', text, true);
  try {
    const ack = await state.pool.send(text, {receipts: true});
    const ok = document.createElement('span');
    ok.className = 'ok';
    ok.textContent = '✓ ' + ack.delivered.length;
    ok.title = 'delivered to ' + ack.delivered.map((d) => d.user).join(', ');
    li.append(ok);
  } catch (err) {
    log('chat: ' + err.message);
  }
};
