// The operator's console: plain JavaScript over the operator API (/api/v1/admin/...), with the
// browser's session. Every string comes from i18n.js; every value from the API is put in the page
// as text (never as HTML), so nothing a sender wrote can run here.
'use strict';

(function () {
  const API = '/api/v1/admin';
  const ZONE = 'Asia/Ho_Chi_Minh';
  const state = {
    lang: localStorage.getItem('lienthong.console.lang') || 'vi',
    me: null,
    agencies: [],
    tab: 'messages',
    search: { query: null, cursors: [], next: null },
    quarantine: { sender: '', cursors: [], next: null },
    openMessage: null,
    refreshTimer: null
  };

  // ------------------------------------------------------------------ words

  function t(key, params) {
    const words = window.LT_I18N[state.lang] || window.LT_I18N.vi;
    let text = words[key];
    if (text === undefined) {
      text = window.LT_I18N.en[key] !== undefined ? window.LT_I18N.en[key] : key;
    }
    if (params) {
      Object.keys(params).forEach(function (name) {
        text = text.split('{' + name + '}').join(String(params[name]));
      });
    }
    return text;
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(function (node) {
      node.textContent = t(node.getAttribute('data-i18n'));
    });
    document.title = t('app.title');
    document.querySelectorAll('.lang button').forEach(function (b) {
      b.classList.toggle('active', b.getAttribute('data-lang') === state.lang);
      b.setAttribute('aria-pressed', b.getAttribute('data-lang') === state.lang ? 'true' : 'false');
    });
    fillAgencySelects();
  }

  function setLanguage(lang) {
    state.lang = lang;
    localStorage.setItem('lienthong.console.lang', lang);
    applyLanguage();
    render(state.tab);
  }

  // ------------------------------------------------------------------ DOM

  function el(tag, attrs) {
    const node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        const value = attrs[name];
        if (value === null || value === undefined || value === false) {
          return;
        }
        if (name === 'text') {
          node.textContent = value;
        } else if (name === 'class') {
          node.className = value;
        } else if (name.indexOf('on') === 0) {
          node.addEventListener(name.substring(2), value);
        } else {
          node.setAttribute(name, value === true ? '' : value);
        }
      });
    }
    for (let i = 2; i < arguments.length; i++) {
      append(node, arguments[i]);
    }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) {
      return;
    }
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(node, c); });
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    return node;
  }

  function $(id) {
    return document.getElementById(id);
  }

  function time(iso) {
    if (!iso) {
      return '—';
    }
    return new Intl.DateTimeFormat(state.lang === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false
    }).format(new Date(iso));
  }

  function age(seconds) {
    if (seconds === null || seconds === undefined) {
      return '—';
    }
    const s = Math.floor(seconds);
    if (s < 60) {
      return t('age.s', { n: s });
    }
    if (s < 3600) {
      return t('age.m', { n: Math.floor(s / 60) });
    }
    if (s < 86400) {
      return t('age.h', { n: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
    }
    return t('age.d', { n: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
  }

  function agencyName(code) {
    const a = state.agencies.find(function (x) { return x.code === code; });
    return a ? a.name[state.lang] || a.name.vi : null;
  }

  function agencyCell(code) {
    const name = agencyName(code);
    return el('span', { class: 'agency', title: name || code }, code);
  }

  function statusBadge(status, count) {
    return el('span', { class: 'badge status-' + status, 'data-status': status },
      t('status.' + status) + (count !== undefined ? ' ' + count : ''));
  }

  function shortId(id) {
    return id ? id.substring(0, 8) + '…' : '—';
  }

  // ------------------------------------------------------------------ notices

  function notify(text, kind) {
    const box = $('notice');
    clear(box);
    box.className = 'notice ' + (kind || 'info');
    box.appendChild(el('span', { id: 'notice-text' }, text));
    box.appendChild(el('button', { type: 'button', class: 'link', onclick: function () { box.hidden = true; } },
      t('common.close')));
    box.hidden = false;
    box.scrollIntoView({ block: 'nearest' });
  }

  function showError(error) {
    notify(error.message, 'error');
  }

  // ------------------------------------------------------------------ API

  function cookie(name) {
    const found = document.cookie.split('; ').find(function (c) { return c.indexOf(name + '=') === 0; });
    return found ? decodeURIComponent(found.substring(name.length + 1)) : null;
  }

  /** An API error the page can show: the HTTP status, the API's code and its own message. */
  function ApiError(status, code, detail) {
    let lead;
    if (status === 401) {
      lead = t('error.unauthenticated');
    } else if (status === 403) {
      lead = t('error.forbidden');
    } else if (status === 404) {
      lead = t('error.notFound');
    } else if (status === 409) {
      lead = t('error.conflict');
    } else if (status === 400) {
      lead = t('error.bad');
    } else if (status === 0) {
      lead = t('error.network');
    } else {
      lead = t('error.server', { status: status });
    }
    this.status = status;
    this.code = code;
    this.message = lead + (detail ? ' ' + detail : '') + (code ? ' [' + code + ']' : '');
  }

  async function call(method, path, body, raw) {
    const headers = { Accept: raw ? '*/*' : 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      const token = cookie('XSRF-TOKEN');
      if (token) {
        headers['X-XSRF-TOKEN'] = token;
      }
    }
    let response;
    try {
      response = await fetch(path, {
        method: method, headers: headers, credentials: 'same-origin', redirect: 'manual',
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (e) {
      throw new ApiError(0, null, null);
    }
    if (response.type === 'opaqueredirect') {
      throw new ApiError(401, null, null);
    }
    if (!response.ok) {
      let code = null;
      let detail = null;
      try {
        const problem = await response.json();
        code = problem.code || problem.error || null;
        detail = problem.message || problem.detail || null;
      } catch (e) {
        // Spring Security's 403 has no body: the status says it.
      }
      throw new ApiError(response.status, code, detail);
    }
    return raw ? response : response.json();
  }

  function query(params) {
    const q = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined && params[k] !== '') {
        q.set(k, params[k]);
      }
    });
    const s = q.toString();
    return s ? '?' + s : '';
  }

  // ------------------------------------------------------------------ reasons

  /** Asks for a reason in the dialog; resolves with it, or null when cancelled. */
  function askReason(title, warning) {
    const dialog = $('reason-dialog');
    $('reason-title').textContent = title;
    $('reason-warning').textContent = warning || '';
    $('reason-warning').hidden = !warning;
    $('reason-error').hidden = true;
    $('reason-text').value = '';
    return new Promise(function (resolve) {
      function done(value) {
        $('reason-form').removeEventListener('submit', submit);
        $('reason-cancel').removeEventListener('click', cancel);
        dialog.close();
        resolve(value);
      }
      function submit(e) {
        e.preventDefault();
        const reason = $('reason-text').value.trim();
        if (!reason) {
          $('reason-error').textContent = t('error.reasonRequired');
          $('reason-error').hidden = false;
          return;
        }
        done(reason);
      }
      function cancel() {
        done(null);
      }
      $('reason-form').addEventListener('submit', submit);
      $('reason-cancel').addEventListener('click', cancel);
      dialog.showModal();
      $('reason-text').focus();
    });
  }

  // ------------------------------------------------------------------ tabs

  function show(tab) {
    state.tab = tab;
    document.querySelectorAll('.view').forEach(function (v) { v.hidden = v.id !== 'view-' + tab; });
    document.querySelectorAll('.tabs [data-tab]').forEach(function (b) {
      b.classList.toggle('active', b.getAttribute('data-tab') === tab);
      b.setAttribute('aria-selected', b.getAttribute('data-tab') === tab ? 'true' : 'false');
    });
    if (location.hash !== '#' + tab) {
      history.replaceState(null, '', '#' + tab);
    }
    render(tab);
  }

  function render(tab) {
    const work = {
      messages: function () {
        if (state.search.query) {
          runSearch();
        }
        if (state.openMessage) {
          openMessage(state.openMessage.id, state.openMessage.sender);
        }
      },
      quarantine: function () { loadQuarantine(); },
      backlog: function () { loadBacklog(); },
      traffic: function () { loadTraffic(); },
      cases: function () { loadCases(); }
    }[tab];
    if (work) {
      Promise.resolve(work()).catch(showError);
    }
  }

  function fillAgencySelects() {
    document.querySelectorAll('select.agency-select').forEach(function (select) {
      const chosen = select.value;
      clear(select);
      select.appendChild(el('option', { value: '' }, t('common.any')));
      state.agencies.forEach(function (a) {
        select.appendChild(el('option', { value: a.code }, a.code + ' — ' + (a.name[state.lang] || a.name.vi)));
      });
      select.value = chosen;
    });
  }

  // ------------------------------------------------------------------ messages

  function localToRfc3339(value) {
    if (!value) {
      return null;
    }
    // The fields are Vietnam time, whatever the browser's zone.
    return (value.length === 16 ? value + ':00' : value) + '+07:00';
  }

  function readSearchForm() {
    const f = $('search-form');
    return {
      messageId: f.messageId.value.trim(), correlationId: f.correlationId.value.trim(),
      sender: f.sender.value, recipient: f.recipient.value, type: f.type.value.trim(),
      status: f.status.value, channel: f.channel.value, classification: f.classification.value,
      from: localToRfc3339(f.from.value), to: localToRfc3339(f.to.value), limit: 25
    };
  }

  async function runSearch(after) {
    const q = Object.assign({}, state.search.query, { after: after || null });
    const tbody = $('search-results').querySelector('tbody');
    const page = await call('GET', API + '/messages' + query(q));
    clear(tbody);
    if (page.items.length === 0) {
      tbody.appendChild(el('tr', null, el('td', { colspan: 8, class: 'empty' }, t('common.none'))));
    }
    page.items.forEach(function (m) {
      const counts = Object.keys(m.deliveries || {}).map(function (s) { return statusBadge(s, m.deliveries[s]); });
      tbody.appendChild(el('tr', {
        'data-message-id': m.messageId, tabindex: 0,
        onclick: function () { openMessage(m.messageId, m.sender).catch(showError); },
        onkeydown: function (e) { if (e.key === 'Enter') { openMessage(m.messageId, m.sender).catch(showError); } }
      },
      el('td', { class: 'nowrap' }, time(m.receivedAt)), el('td', null, agencyCell(m.sender)),
      el('td', null, m.type), el('td', null, m.recipients.map(agencyCell)), el('td', null, counts),
      el('td', null, m.channel), el('td', null, el('span', { class: 'badge class-' + m.classification },
        t('class.' + m.classification))),
      el('td', { class: 'mono', title: m.messageId }, shortId(m.messageId))));
    });
    state.search.next = page.next;
    $('search-next').disabled = !page.next;
    $('search-first').disabled = !after;
    $('search-count').textContent = t('common.estimate', { n: page.totalEstimate }) + ' · '
      + t('common.shown', { n: page.items.length });
  }

  async function openMessage(id, sender) {
    const m = await call('GET', API + '/messages/' + encodeURIComponent(id) + query({ sender: sender }));
    state.openMessage = { id: id, sender: m.sender };
    const box = clear($('message-detail'));
    box.hidden = false;
    box.setAttribute('data-message-id', m.messageId);
    box.appendChild(el('div', { class: 'table-head' },
      el('h2', null, t('message.title', { id: m.messageId })),
      el('span', null,
        el('button', { type: 'button', id: 'message-refresh', onclick: function () {
          openMessage(id, m.sender).catch(showError); } }, t('common.refresh')),
        el('button', { type: 'button', id: 'message-body', onclick: function () {
          showBody(m).catch(showError); } }, t('message.body')),
        el('button', { type: 'button', class: 'link', onclick: function () {
          box.hidden = true; state.openMessage = null; stopRefresh(); } }, t('common.close')))));
    box.appendChild(el('dl', { class: 'facts' },
      fact('field.sender', agencyCell(m.sender)), fact('field.type', m.type),
      fact('field.recipients', m.recipients.map(agencyCell)), fact('field.correlationId', m.correlationId || '—'),
      fact('field.priority', m.priority), fact('field.classification', t('class.' + m.classification)),
      fact('field.channel', m.channel + ' · ' + m.source), fact('field.createdAt', time(m.createdAt)),
      fact('field.receivedAt', time(m.receivedAt))));

    const deliveries = el('table', { class: 'grid', id: 'deliveries' },
      el('thead', null, el('tr', null, el('th', null, t('field.recipient')), el('th', null, t('field.channel')),
        el('th', null, t('field.status')), el('th', { class: 'num' }, t('field.attempts')),
        el('th', null, t('field.orderKey')), el('th', null, t('field.actions')))));
    const body = el('tbody');
    m.deliveries.forEach(function (d) {
      const actions = [];
      if (d.status === 'FAILED') {
        actions.push(el('button', { type: 'button', class: 'primary act-resend', 'data-delivery-id': d.deliveryId,
          onclick: function () { act('resend', d.deliveryId, m).catch(showError); } }, t('act.resend')));
        actions.push(el('button', { type: 'button', class: 'danger act-abandon', 'data-delivery-id': d.deliveryId,
          onclick: function () { act('abandon', d.deliveryId, m).catch(showError); } }, t('act.abandon')));
      }
      body.appendChild(el('tr', { 'data-delivery-id': d.deliveryId, 'data-recipient': d.recipient },
        el('td', null, agencyCell(d.recipient)), el('td', null, d.channel + (d.address ? ' · ' + d.address : '')),
        el('td', { class: 'delivery-status' }, statusBadge(d.status)), el('td', { class: 'num' }, d.attempts),
        el('td', { class: 'mono small' }, d.orderKey || '—'), el('td', { class: 'actions' }, actions)));
    });
    deliveries.appendChild(body);
    box.appendChild(el('div', { class: 'scroll' }, deliveries));
    box.appendChild(el('h3', null, t('message.timeline')));
    box.appendChild(timeline(m));
    box.appendChild(el('pre', { id: 'message-body-text', class: 'body', hidden: true }));
    box.scrollIntoView({ block: 'start' });
    // While a delivery is on its way, the page follows it.
    stopRefresh();
    if (m.deliveries.some(function (d) { return d.status === 'PENDING'; })) {
      state.refreshTimer = setTimeout(function () {
        if (state.openMessage && state.openMessage.id === id && state.tab === 'messages') {
          openMessage(id, m.sender).catch(showError);
        }
      }, 2000);
    }
  }

  function stopRefresh() {
    if (state.refreshTimer) {
      clearTimeout(state.refreshTimer);
      state.refreshTimer = null;
    }
  }

  function fact(key, value) {
    return [el('dt', null, t(key)), el('dd', null, value)];
  }

  /** Received, recorded, each attempt, delivered, acknowledged (or abandoned), in time order. */
  function timeline(m) {
    const events = [
      { at: m.createdAt, kind: 'created', text: t('timeline.created') + ' (' + m.sender + ')' },
      { at: m.receivedAt, kind: 'received', text: t('timeline.received') + ' (' + m.channel + ')' }
    ];
    m.deliveries.forEach(function (d) {
      d.attemptLog.forEach(function (a) {
        events.push({ at: a.at, kind: a.outcome === 'DELIVERED' ? 'ok' : 'error',
          text: t('timeline.attempt', { n: a.attempt, recipient: d.recipient, outcome: t('outcome.' + a.outcome) }),
          detail: a.error });
      });
      if (d.deliveredAt) {
        events.push({ at: d.deliveredAt, kind: 'ok', text: t('timeline.delivered', { recipient: d.recipient }) });
      }
      if (d.acknowledgedAt) {
        events.push({ at: d.acknowledgedAt, kind: 'ok', text: t('timeline.acknowledged', { recipient: d.recipient }) });
      }
      if (d.abandonedAt) {
        events.push({ at: d.abandonedAt, kind: 'abandoned',
          text: t('timeline.abandoned', { recipient: d.recipient, reason: d.abandonReason || '' }) });
      }
      if (d.status === 'FAILED') {
        const last = d.attemptLog.length ? d.attemptLog[d.attemptLog.length - 1].at : m.receivedAt;
        events.push({ at: last, kind: 'error', text: t('timeline.failed', { recipient: d.recipient, n: d.attempts }),
          detail: d.lastError, order: 1 });
      }
      if (d.status === 'PENDING' && d.nextAttemptAt) {
        events.push({ at: d.nextAttemptAt, kind: 'pending', text: t('timeline.next', { recipient: d.recipient }) });
      }
    });
    events.sort(function (a, b) {
      return (new Date(a.at) - new Date(b.at)) || ((a.order || 0) - (b.order || 0));
    });
    return el('ol', { class: 'timeline', id: 'timeline' }, events.map(function (e) {
      return el('li', { class: 'event ' + e.kind, 'data-kind': e.kind },
        el('span', { class: 'when' }, time(e.at)), el('span', { class: 'what' }, e.text),
        e.detail ? el('span', { class: 'detail' }, e.detail) : null);
    }));
  }

  async function showBody(m) {
    let response;
    try {
      response = await call('GET', API + '/messages/' + m.messageId + '/body' + query({ sender: m.sender }), undefined,
        true);
    } catch (e) {
      if (e.code !== 'REASON_REQUIRED') {
        throw e;
      }
      const reason = await askReason(t('act.reasonTitle.body', { id: shortId(m.messageId) }),
        t('message.bodyRestricted'));
      if (!reason) {
        return;
      }
      response = await call('GET', API + '/messages/' + m.messageId + '/body'
        + query({ sender: m.sender, reason: reason }), undefined, true);
    }
    const text = await response.text();
    const pre = $('message-body-text');
    try {
      pre.textContent = JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      pre.textContent = text;
    }
    pre.hidden = false;
  }

  async function act(kind, deliveryId, m) {
    const reason = await askReason(t('act.reasonTitle.' + kind, { id: shortId(deliveryId) }),
      kind === 'abandon' ? t('act.abandonHelp') : null);
    if (!reason) {
      return;
    }
    try {
      await call('POST', API + '/deliveries/' + deliveryId + '/' + kind, { reason: reason });
    } catch (e) {
      showError(e);
      return;
    }
    notify(t('act.done.' + kind), 'ok');
    await openMessage(m.messageId, m.sender);
  }

  // ------------------------------------------------------------------ quarantine

  async function loadQuarantine(after) {
    const q = state.quarantine;
    const page = await call('GET', API + '/quarantine' + query({ sender: q.sender, after: after, limit: 25 }));
    const tbody = clear($('quarantine-results').querySelector('tbody'));
    if (page.items.length === 0) {
      tbody.appendChild(el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('common.none'))));
    }
    page.items.forEach(function (r) {
      tbody.appendChild(el('tr', { 'data-quarantine-id': r.quarantineId, tabindex: 0,
        onclick: function () { openRefused(r.quarantineId).catch(showError); } },
      el('td', { class: 'nowrap' }, time(r.receivedAt)), el('td', null, r.channel),
      el('td', { class: 'small' }, r.source), el('td', null, r.claimedSender ? agencyCell(r.claimedSender) : '—'),
      el('td', null, (r.errors || []).map(function (e) { return el('span', { class: 'badge status-FAILED' }, e.code); })),
      el('td', { class: 'num' }, r.bytes), el('td', { class: 'mono', title: r.inputSha256 }, shortId(r.inputSha256))));
    });
    q.next = page.next;
    $('quarantine-next').disabled = !page.next;
    $('quarantine-first').disabled = !after;
    $('quarantine-count').textContent = t('common.estimate', { n: page.totalEstimate });
  }

  async function openRefused(id) {
    const r = await call('GET', API + '/quarantine/' + id);
    const box = clear($('refused-detail'));
    box.hidden = false;
    box.appendChild(el('div', { class: 'table-head' }, el('h2', null, t('quarantine.one', { id: r.quarantineId })),
      el('span', null,
        el('button', { type: 'button', class: 'primary', id: 'download-original', onclick: function () {
          downloadOriginal(r).catch(showError); } }, t('act.download')),
        el('button', { type: 'button', class: 'link', onclick: function () { box.hidden = true; } },
          t('common.close')))));
    box.appendChild(el('dl', { class: 'facts' },
      fact('field.receivedAt', time(r.receivedAt)), fact('field.channel', r.channel + ' · ' + r.source),
      fact('field.claimedSender', r.claimedSender || '—'), fact('field.messageId', r.messageId || '—'),
      fact('field.bytes', r.bytes), fact('field.sha256', el('span', { class: 'mono small' }, r.inputSha256))));
    box.appendChild(el('table', { class: 'grid', id: 'refused-errors' },
      el('thead', null, el('tr', null, el('th', null, t('field.code')), el('th', null, t('field.pointer')),
        el('th', null, t('field.message')))),
      el('tbody', null, (r.errors || []).map(function (e) {
        return el('tr', null, el('td', { class: 'mono' }, e.code), el('td', { class: 'mono' }, e.pointer || '—'),
          el('td', null, e.message));
      }))));
    box.scrollIntoView({ block: 'start' });
  }

  async function downloadOriginal(r) {
    const reason = await askReason(t('act.reasonTitle.original', { id: shortId(r.quarantineId) }));
    if (!reason) {
      return;
    }
    const response = await call('GET', API + '/quarantine/' + r.quarantineId + '/original' + query({ reason: reason }),
      undefined, true);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: r.quarantineId + '.bin' });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ------------------------------------------------------------------ backlog

  async function loadBacklog() {
    const page = await call('GET', API + '/backlog');
    const tbody = clear($('backlog-table').querySelector('tbody'));
    page.items.forEach(function (b) {
      const actions = [
        b.paused
          ? el('button', { type: 'button', class: 'act-resume', onclick: function () {
            recipientAct('resume', b.recipient).catch(showError); } }, t('act.resume'))
          : el('button', { type: 'button', class: 'act-pause', onclick: function () {
            recipientAct('pause', b.recipient).catch(showError); } }, t('act.pause'))
      ];
      if (b.failed > 0) {
        actions.push(el('button', { type: 'button', class: 'primary act-resend-all', onclick: function () {
          recipientAct('resendAll', b.recipient).catch(showError); } }, t('act.resendAll')));
      }
      const name = agencyName(b.recipient);
      tbody.appendChild(el('tr', { 'data-recipient': b.recipient, class: b.failed > 0 ? 'alert' : null },
        el('td', null, el('strong', null, b.recipient), name ? el('div', { class: 'muted small' }, name) : null),
        el('td', { class: 'num pending' }, b.pending), el('td', { class: 'num' }, age(b.oldestPendingAgeSeconds)),
        el('td', { class: 'num failed' }, b.failed > 0 ? statusBadge('FAILED', b.failed) : '0'),
        el('td', { class: 'paused' }, b.paused ? el('span', { class: 'badge status-PAUSED' }, t('field.paused'))
          : t('common.no')),
        el('td', { class: 'actions' }, actions)));
    });
  }

  async function recipientAct(kind, code) {
    const reason = await askReason(t('act.reasonTitle.' + kind, { code: code }));
    if (!reason) {
      return;
    }
    let answer;
    try {
      answer = kind === 'resendAll'
        ? await call('POST', API + '/deliveries/resend', { reason: reason, filter: { recipient: code } })
        : await call('POST', API + '/recipients/' + encodeURIComponent(code) + '/' + kind, { reason: reason });
    } catch (e) {
      showError(e);
      return;
    }
    notify(t('act.done.' + kind, { code: code, n: answer.resent }), 'ok');
    await loadBacklog();
  }

  // ------------------------------------------------------------------ traffic

  const OUTCOMES = ['delivered', 'pending', 'failed', 'refused'];

  async function loadTraffic() {
    const hours = Number($('traffic-hours').value);
    const sender = $('traffic-sender').value;
    const page = await call('GET', API + '/traffic' + query({ hours: hours }));
    const items = page.items.filter(function (i) { return !sender || i.sender === sender; });
    const legend = clear($('traffic-legend'));
    OUTCOMES.concat(['accepted']).forEach(function (o) {
      legend.appendChild(el('span', { class: 'key' }, el('span', { class: 'swatch ' + o }), t('traffic.' + o)));
    });
    // Every hour of the window, empty ones too.
    const start = new Date(page.from).getTime();
    const slots = [];
    for (let h = 0; h < page.hours; h++) {
      slots.push({ at: new Date(start + h * 3600000).toISOString(), accepted: 0, delivered: 0, pending: 0,
        failed: 0, refused: 0 });
    }
    const bySender = {};
    items.forEach(function (i) {
      const slot = slots[Math.round((new Date(i.hour).getTime() - start) / 3600000)];
      const agg = bySender[i.sender] || (bySender[i.sender] = { accepted: 0, delivered: 0, pending: 0, failed: 0,
        refused: 0 });
      ['accepted', 'delivered', 'pending', 'failed', 'refused'].forEach(function (k) {
        if (slot) {
          slot[k] += i[k];
        }
        agg[k] += i[k];
      });
    });
    drawHours(clear($('chart-hours')), slots);
    drawAgencies(clear($('chart-agencies')), bySender);
  }

  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function hourLabel(iso) {
    return new Intl.DateTimeFormat(state.lang === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
  }

  /** Stacked bars per hour: deliveries by outcome and refused inputs; a line of accepted messages. */
  function drawHours(box, slots) {
    const width = 960;
    const height = 260;
    const left = 44;
    const bottom = 36;
    const top = 12;
    const highest = Math.max.apply(null, slots.map(function (s) {
      return Math.max(s.accepted, s.delivered + s.pending + s.failed + s.refused);
    }));
    // A multiple of four, so the four grid lines fall on whole numbers.
    const max = Math.max(4, Math.ceil(highest / 4) * 4);
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'bars', role: 'img',
      'aria-label': t('traffic.byHour'), id: 'traffic-hours-svg' });
    const plotH = height - top - bottom;
    const step = (width - left - 8) / slots.length;
    for (let g = 0; g <= 4; g++) {
      const y = top + plotH - plotH * g / 4;
      chart.appendChild(svg('line', { x1: left, x2: width - 8, y1: y, y2: y, class: 'grid-line' }));
      chart.appendChild(svg('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' },
        String(Math.round(max * g / 4))));
    }
    const labelEvery = Math.ceil(slots.length / 12);
    const points = [];
    slots.forEach(function (s, i) {
      const x = left + i * step;
      let y = top + plotH;
      OUTCOMES.forEach(function (o) {
        const h = plotH * s[o] / max;
        if (h > 0) {
          const bar = svg('rect', { x: x + step * 0.15, y: y - h, width: step * 0.7, height: h, class: o });
          bar.appendChild(svg('title', {}, hourLabel(s.at) + ' — ' + t('traffic.' + o) + ': ' + s[o]));
          chart.appendChild(bar);
          y -= h;
        }
      });
      points.push((x + step / 2) + ',' + (top + plotH - plotH * s.accepted / max));
      if (i % labelEvery === 0) {
        chart.appendChild(svg('text', { x: x + step / 2, y: height - bottom + 16, class: 'axis',
          'text-anchor': 'middle' }, hourLabel(s.at)));
      }
    });
    chart.appendChild(svg('polyline', { points: points.join(' '), class: 'accepted-line' }));
    box.appendChild(chart);
  }

  /** One horizontal bar per sender, split by outcome, with the numbers. */
  function drawAgencies(box, bySender) {
    const senders = Object.keys(bySender).sort(function (a, b) {
      return bySender[b].accepted + bySender[b].refused - bySender[a].accepted - bySender[a].refused;
    });
    if (senders.length === 0) {
      box.appendChild(el('p', { class: 'empty' }, t('common.none')));
      return;
    }
    const max = Math.max.apply(null, senders.map(function (s) {
      const a = bySender[s];
      return Math.max(1, a.delivered + a.pending + a.failed + a.refused);
    }));
    const table = el('table', { class: 'grid hbars', id: 'traffic-agencies' },
      el('thead', null, el('tr', null, el('th', null, t('field.sender')), el('th', { class: 'num' },
        t('traffic.accepted')), el('th', { class: 'num' }, t('traffic.refused')), el('th', { class: 'num' },
        t('traffic.delivered')), el('th', { class: 'num' }, t('traffic.failed')), el('th', { class: 'num' },
        t('traffic.pending')), el('th', { class: 'bar-cell' }, ''))));
    const tbody = el('tbody');
    senders.forEach(function (s) {
      const a = bySender[s];
      const bar = svg('svg', { viewBox: '0 0 300 16', class: 'hbar', preserveAspectRatio: 'none' });
      let x = 0;
      OUTCOMES.forEach(function (o) {
        const w = 300 * a[o] / max;
        if (w > 0) {
          const r = svg('rect', { x: x, y: 0, width: w, height: 16, class: o });
          r.appendChild(svg('title', {}, s + ' — ' + t('traffic.' + o) + ': ' + a[o]));
          bar.appendChild(r);
          x += w;
        }
      });
      tbody.appendChild(el('tr', { 'data-sender': s }, el('td', null, agencyCell(s)),
        el('td', { class: 'num accepted' }, a.accepted), el('td', { class: 'num refused' }, a.refused),
        el('td', { class: 'num delivered' }, a.delivered), el('td', { class: 'num failed' }, a.failed),
        el('td', { class: 'num pending' }, a.pending), el('td', { class: 'bar-cell' }, bar)));
    });
    table.appendChild(tbody);
    box.appendChild(table);
  }

  // ------------------------------------------------------------------ cases

  async function loadCases() {
    const f = $('cases-form');
    const page = await call('GET', API + '/cases' + query({ filter: f.filter.value, dueWithinHours: f.dueWithinHours.value,
      agency: f.agency.value, kind: f.kind.value }));
    const tbody = clear($('cases-table').querySelector('tbody'));
    if (page.items.length === 0) {
      tbody.appendChild(el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('common.none'))));
    }
    page.items.forEach(function (c) {
      tbody.appendChild(el('tr', { 'data-case-id': c.id, class: c.overdue ? 'alert' : null, tabindex: 0,
        onclick: function () { openCase(c.id).catch(showError); } },
      el('td', null, t('cases.kind.' + c.kind)), el('td', null, el('span', { class: 'badge state' }, c.state)),
      el('td', null, agencyCell(c.requester)), el('td', null, agencyCell(c.responder)),
      el('td', null, [c.measure, c.legalGround].filter(Boolean).join(' · ') || '—'),
      el('td', { class: 'nowrap' }, time(c.openedAt)),
      el('td', { class: 'nowrap' }, time(c.dueAt), c.overdue
        ? el('span', { class: 'badge status-FAILED' }, t('cases.overdue')) : null)));
    });
  }

  async function openCase(id) {
    const c = await call('GET', API + '/cases/' + id);
    const box = clear($('case-detail'));
    box.hidden = false;
    box.appendChild(el('div', { class: 'table-head' }, el('h2', null, t('cases.one', { id: c.id })),
      el('button', { type: 'button', class: 'link', onclick: function () { box.hidden = true; } }, t('common.close'))));
    box.appendChild(el('dl', { class: 'facts' },
      fact('field.kind', t('cases.kind.' + c.kind)), fact('field.state', c.state),
      fact('field.requester', agencyCell(c.requester)), fact('field.responder', agencyCell(c.responder)),
      fact('field.measure', c.measure || '—'), fact('field.legalGround', c.legalGround || '—'),
      fact('field.openedAt', time(c.openedAt)), fact('field.dueAt', time(c.dueAt)),
      fact('field.closedAt', time(c.closedAt))));
    box.appendChild(el('h3', null, t('cases.transitions')));
    box.appendChild(el('ol', { class: 'timeline', id: 'case-transitions' }, c.transitions.map(function (tr) {
      return el('li', { class: 'event ok' }, el('span', { class: 'when' }, time(tr.at)),
        el('span', { class: 'what' }, (tr.from || '∅') + ' → ' + tr.to),
        el('span', { class: 'detail' }, tr.cause || ''));
    })));
    if (c.listings && c.listings.length) {
      box.appendChild(el('h3', null, t('cases.listings')));
      box.appendChild(el('ul', null, c.listings.map(function (l) {
        return el('li', null, el('span', { class: 'badge state' }, l.state), ' ', l.url, l.note ? ' — ' + l.note : '');
      })));
    }
    box.appendChild(el('h3', null, t('cases.messages')));
    box.appendChild(el('table', { class: 'grid clickable', id: 'case-messages' },
      el('tbody', null, c.messages.map(function (m) {
        return el('tr', { tabindex: 0, onclick: function () {
          show('messages');
          openMessage(m.messageId, m.sender).catch(showError);
        } }, el('td', { class: 'nowrap' }, time(m.receivedAt)), el('td', null, m.type),
        el('td', null, agencyCell(m.sender)), el('td', { class: 'mono' }, m.messageId));
      }))));
    box.scrollIntoView({ block: 'start' });
  }

  // ------------------------------------------------------------------ start

  async function start() {
    applyLanguage();
    document.querySelectorAll('.lang button').forEach(function (b) {
      b.addEventListener('click', function () { setLanguage(b.getAttribute('data-lang')); });
    });
    document.querySelectorAll('.tabs [data-tab]').forEach(function (b) {
      b.addEventListener('click', function () { show(b.getAttribute('data-tab')); });
    });
    $('search-form').addEventListener('submit', function (e) {
      e.preventDefault();
      state.search.query = readSearchForm();
      state.search.cursors = [];
      runSearch().catch(showError);
    });
    $('search-reset').addEventListener('click', function () {
      setTimeout(function () { fillAgencySelects(); }, 0);
    });
    $('search-next').addEventListener('click', function () {
      state.search.cursors.push(state.search.next);
      runSearch(state.search.next).catch(showError);
    });
    $('search-first').addEventListener('click', function () {
      state.search.cursors = [];
      runSearch().catch(showError);
    });
    $('quarantine-form').addEventListener('submit', function (e) {
      e.preventDefault();
      state.quarantine.sender = $('q-sender').value;
      loadQuarantine().catch(showError);
    });
    $('quarantine-next').addEventListener('click', function () {
      loadQuarantine(state.quarantine.next).catch(showError);
    });
    $('quarantine-first').addEventListener('click', function () { loadQuarantine().catch(showError); });
    $('backlog-refresh').addEventListener('click', function () { loadBacklog().catch(showError); });
    $('traffic-hours').addEventListener('change', function () { loadTraffic().catch(showError); });
    $('traffic-sender').addEventListener('change', function () { loadTraffic().catch(showError); });
    $('cases-form').addEventListener('submit', function (e) {
      e.preventDefault();
      loadCases().catch(showError);
    });
    try {
      state.me = await call('GET', API + '/me');
      $('user-name').textContent = state.me.name;
      $('user-roles').textContent = t('user.roles') + ': ' + state.me.roles.join(', ');
      const operator = state.me.roles.indexOf('operator') >= 0;
      $('auditor-hint').hidden = operator;
      document.body.classList.toggle('is-operator', operator);
      $('tab-hawtio').hidden = !operator;
      state.agencies = (await call('GET', API + '/agencies')).items;
      fillAgencySelects();
    } catch (e) {
      showError(e);
    }
    const first = (location.hash || '#messages').substring(1);
    show(['messages', 'quarantine', 'backlog', 'traffic', 'cases'].indexOf(first) >= 0 ? first : 'messages');
    document.body.setAttribute('data-ready', 'true');
  }

  document.addEventListener('DOMContentLoaded', start);
})();
