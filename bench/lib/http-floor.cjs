// The HTTP floor of bench/ingest: express 5 parsing the same JSON body (same limit as the gateway)
// and answering 202 with a small JSON document, in a process of its own like the gateway.
'use strict';
const express = require('express');
const { randomUUID } = require('node:crypto');

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/ilp/v1/encounters', (req, res) => {
  res.status(202).json({ id: randomUUID(), status: 'accepted', submissionId: req.body.submissionId });
});
app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
app.listen(Number(process.env.PORT), '127.0.0.1');
