// A ProConnect-like OpenID provider for the tests: panva's oidc-provider (npm,
// pinned in package.json) on a free loopback port. It prints one JSON line,
// {"issuer": "http://127.0.0.1:<port>"}, once it answers.
//
// Configured like ProConnect: the claims given_name, usual_name, email, uid,
// siret and idp_id, each behind a scope of its name and answered by /userinfo
// (the ID token carries none of them); acr "eidas1"; RP-initiated logout. Clients
// register themselves (RFC 7591) with the redirect URI of the app under test and
// ask for signed userinfo (userinfo_signed_response_alg), which ProConnect always
// signs.
//
// The login page stands for ProConnect's identity providers: the tests post the
// identity they want (email, names, SIRET, and an optional sub); consent is
// given at once, as ProConnect asks none.
//
// Under /faults/<name>/ the same provider misbehaves in one way, each a failure
// the app must turn into a French 4xx page (tests/test_proconnect.py):
//   wrong-keys        a JWKS of other keys under the same kid: every signature fails
//   forged-userinfo   the signed userinfo with its email changed afterwards
//   garbage-discovery a discovery document that is not JSON
//   garbage-jwks      a JWKS that is JSON but no key set
//   garbage-token     a token endpoint answering an HTML page
//   unreachable-token a token endpoint on a port nobody listens on
// A client named "codes-expire-at-once" gets authorization codes valid 1 second;
// one named "old-sign-ins" is told, on a login asked again, that the person
// authenticated an hour ago (auth_time), as a provider reusing a session might.
//
// Two rules of ProConnect's partner documentation (proconnect-documentation,
// doc_fs/implementation_technique.md) are enforced, so that a client breaking
// them fails here: the token endpoint takes the client id and secret in the form
// body (client_secret_post; its discovery lists no client_secret_basic), so an
// Authorization header is refused, although oidc-provider itself, here as in
// ProConnect's federation, would take one for a client_secret_post client; the
// authorization endpoint refuses any parameter the documentation does not list
// (Y000400).

import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const server = createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const KID = 'proconnect-test';
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
}
const publicPart = ({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use });
const impostorKey = signingKey();

const CLAIMS = ['email', 'given_name', 'usual_name', 'uid', 'siret', 'idp_id'];
// The documented parameters, and acr_values (in the documentation's own example URL).
const AUTHORIZATION_PARAMETERS = new Set([
  'response_type', 'client_id', 'redirect_uri', 'scope', 'claims', 'state', 'nonce',
  'prompt', 'idp_hint', 'login_hint', 'siret_hint', 'acr_values',
]);
const accounts = new Map();

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`
    + `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
}

function loginForm(uid) {
  const fields = [
    ['email', 'Adresse électronique professionnelle'],
    ['given_name', 'Prénom'],
    ['usual_name', "Nom d'usage"],
    ['siret', 'SIRET de votre organisation'],
    ['uid', 'Identifiant chez votre fournisseur'],
    ['sub', 'Identifiant ProConnect (sub), facultatif'],
  ];
  const inputs = fields.map(([name, label]) => `<p><label for="${name}">${label}</label> `
    + `<input id="${name}" name="${name}" type="text"></p>`).join('');
  return page('Connexion ProConnect (fournisseur de test)',
    `<form method="post" action="/interaction/${uid}">${inputs}`
    + '<button type="submit">Continuer</button></form>');
}

// Each login posts an identity; its sub is the one given, else one derived from
// the email (the same person gets the same sub, as ProConnect's are per service).
function remember(form) {
  const sub = form.sub || createHash('sha256').update(`sub:${form.email}`).digest('hex').slice(0, 40);
  const claims = { idp_id: 'fia1v2' };
  for (const name of CLAIMS) if (form[name]) claims[name] = form[name];
  accounts.set(sub, claims);
  return sub;
}

async function interaction(ctx) {
  const uid = ctx.path.split('/')[2];
  let details;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page('Session de connexion introuvable', '<p>Recommencez depuis le service.</p>');
    return;
  }
  const { prompt, params, session, grantId } = details;
  let result;
  if (prompt.name === 'login') {
    if (ctx.method !== 'POST') {
      ctx.type = 'html';
      ctx.body = loginForm(uid);
      return;
    }
    const accountId = remember(await readForm(ctx.req));
    result = { login: { accountId, acr: 'eidas1', amr: ['pwd'] } };
    const client = await provider.Client.find(params.client_id);
    if (client?.clientName === 'old-sign-ins') result.login.ts = Math.floor(Date.now() / 1000) - 3600;
  } else {
    // Consent: ProConnect asks none, every scope asked is granted.
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: prompt.name !== 'login',
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

const FAULT_ENDPOINTS = {
  'wrong-keys': { jwks_uri: 'jwks' },
  'forged-userinfo': { userinfo_endpoint: 'me' },
  'garbage-jwks': { jwks_uri: 'jwks' },
  'garbage-token': { token_endpoint: 'token' },
  'unreachable-token': { token_endpoint: null },
};

// Answers a /faults/<name>/… request itself, or returns false to let the provider answer.
async function fault(ctx, next) {
  const [, , name, ...rest] = ctx.path.split('/');
  const path = rest.join('/');
  if (path === '.well-known/openid-configuration') {
    if (name === 'garbage-discovery') {
      ctx.type = 'html';
      ctx.body = '<html><body>Maintenance en cours</body></html>';
      return true;
    }
    ctx.path = '/.well-known/openid-configuration';
    await next();
    const metadata = { ...ctx.body };
    for (const [field, endpoint] of Object.entries(FAULT_ENDPOINTS[name] || {})) {
      metadata[field] = endpoint ? `${issuer}/faults/${name}/${endpoint}` : 'http://127.0.0.1:9/token';
    }
    ctx.body = metadata;
    return true;
  }
  if (name === 'wrong-keys' && path === 'jwks') {
    ctx.body = { keys: [publicPart(impostorKey)] };
    return true;
  }
  if (name === 'garbage-jwks' && path === 'jwks') {
    ctx.body = { keys: 'aucune' };
    return true;
  }
  if (name === 'garbage-token' && path === 'token') {
    ctx.type = 'html';
    ctx.body = '<html><body>Erreur de passerelle</body></html>';
    return true;
  }
  if (name === 'forged-userinfo' && path === 'me') {
    ctx.path = '/me';
    await next();
    const [header, payload, signature] = String(ctx.body).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.email = 'usurpation@exemple.gouv.fr';
    ctx.body = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    return true;
  }
  return false;
}

const provider = new Provider(issuer, {
  clients: [],
  jwks: { keys: [signingKey()] },
  cookies: { keys: ['cookies-of-a-test-provider'] },
  acrValues: ['eidas1'],
  claims: {
    openid: ['sub'],
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    uid: ['uid'],
    siret: ['siret'],
    idp_id: ['idp_id'],
    acr: null,
    amr: null,
    auth_time: null,
  },
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.type = 'html';
        ctx.body = page('Se déconnecter de ProConnect ?',
          `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.type = 'html';
        ctx.body = page('Déconnexion réussie', '<p>Vous êtes déconnecté·e de ProConnect.</p>');
      },
    },
  },
  clientAuthMethods: ['client_secret_post'],
  clientDefaults: {
    grant_types: ['authorization_code'],
    id_token_signed_response_alg: 'RS256',
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  },
  pkce: { required: () => false },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const claims = accounts.get(sub);
    if (!claims) return undefined;
    return { accountId: sub, async claims() { return { sub, ...claims }; } };
  },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: (ctx, code, client) => (client.clientName === 'codes-expire-at-once' ? 1 : 60),
    ClientCredentials: 600,
    Grant: 3600,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Erreur du fournisseur', `<pre>${escapeHtml(JSON.stringify(out))}</pre>`);
  },
});

// ProConnect's Y000400: an authorization request with a parameter it does not list.
function unlistedParameters(ctx) {
  if (!/^(\/faults\/[^/]+)?\/auth$/.test(ctx.path)) return [];
  return Object.keys(ctx.query).filter((name) => !AUTHORIZATION_PARAMETERS.has(name));
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/token' && ctx.headers.authorization !== undefined) {
    ctx.status = 401;
    ctx.body = {
      error: 'invalid_client',
      error_description: 'client authentication must use client_secret_post',
    };
    return;
  }
  const unlisted = unlistedParameters(ctx);
  if (unlisted.length) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page('Y000400 : Bad Request Exception', `<p>Paramètres refusés : ${escapeHtml(unlisted.join(', '))}</p>`);
    return;
  }
  if (ctx.path.startsWith('/faults/') && await fault(ctx, next)) return;
  if (ctx.path.startsWith('/interaction/')) {
    await interaction(ctx);
    return;
  }
  await next();
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
