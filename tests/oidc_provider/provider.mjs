// A real OpenID Connect provider (oidc-provider, OpenID Certified) for the tests, on localhost.
//
//   node provider.mjs PORT ACCOUNTS_JSON CLIENT_JSON
//
// ACCOUNTS_JSON is read on every sign-in, so a test can add people between runs: a map of
// login name (the subject) -> claims ({"email", "email_verified", "name", "tid"}). The sign-in
// page is the library's development one: any password is accepted for a known login.
// CLIENT_JSON is the relying party: {"client_id", "client_secret", "redirect_uris"}.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const [port, accountsFile, clientFile] = process.argv.slice(2);
const client = JSON.parse(readFileSync(clientFile, 'utf8'));

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    ...client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub', 'tid'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // The claims go in the ID token itself, as Entra ID puts them.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ['test-only-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
    const claims = accounts[id];
    if (!claims) return undefined;
    // The login name is the subject, as a provider's stable id for the person.
    return { accountId: id, async claims() { return { ...claims, sub: id }; } };
  },
  // No consent screen: the organisation has consented for its people (as an Entra admin does).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${provider.issuer}`);
});
