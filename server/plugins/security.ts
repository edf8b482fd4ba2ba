// Security headers. The CSP allows only this origin: the desk runs on closed networks and the web app
// loads nothing from third parties (Lit's styles are constructed stylesheets, which CSP permits).
// helmet's middleware is made once: @fastify/helmet made it anew for every request, parsing the policy
// each time (measured at city scale: 2–3 % of a desk request's time).
import fp from 'fastify-plugin';
import helmet from 'helmet';

const setHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
  // Served over plain HTTP on a city LAN as often as behind TLS; HSTS belongs to the TLS proxy.
  strictTransportSecurity: false,
  crossOriginEmbedderPolicy: false,
});

export default fp(
  async (app) => {
    app.addHook('onRequest', (request, reply, done) => {
      setHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
    });
  },
  { name: 'security' },
);
