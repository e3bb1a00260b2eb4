// ILP Gateway console: the only client code. Pages work without it; it only saves a click.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  // <select data-autosubmit> submits its form when changed (the form still has a button without script).
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => select.form && select.form.submit());
  }
});
