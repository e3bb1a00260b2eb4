// ILP Gateway console: the only client code. Pages work without it (links and GET forms); it saves
// clicks and loads the PWS trend lines after the first chart is on screen.
'use strict';

function autosubmit() {
  // <select data-autosubmit> submits its form when changed (the form still has a button without script).
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => select.form && select.form.submit());
  }
}

async function trends() {
  const source = document.querySelector('.trends-src[data-src]');
  if (!source) return;
  const res = await fetch(source.getAttribute('data-src'), { credentials: 'same-origin' });
  if (!res.ok) return;
  const fragment = new DOMParser().parseFromString(`<body>${await res.text()}</body>`, 'text/html');
  for (const figure of fragment.querySelectorAll('[data-trend]')) {
    const slot = document.querySelector(`.card [data-trend="${CSS.escape(figure.getAttribute('data-trend'))}"]`);
    if (slot) slot.replaceWith(document.importNode(figure, true));
  }
  source.hidden = true;
  document.body.setAttribute('data-trends', 'loaded');
}

document.addEventListener('DOMContentLoaded', () => {
  autosubmit();
  trends().catch(() => undefined);
});
