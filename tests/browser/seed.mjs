// Seeds a running service, through its management API, with the badges the page checks and the
// screenshots need: a partner issuer and a class with a real image and texts in French, Dutch and
// English; one valid, one revoked and one expired award of it; and an award of a RECTEC+ catalogue
// class; and a claim campaign with one multi-use code. Needs BASE_URL, ADMIN_ID and ADMIN_SECRET.

async function call(base, path, { token, method = "GET", body, expect = 200 } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
      accept: "application/json",
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status !== expect) {
    throw new Error(`${method} ${path}: expected ${expect}, got ${response.status}: ${text.slice(0, 500)}`);
  }
  return text ? JSON.parse(text) : null;
}

export async function seed(base, adminId, adminSecret) {
  const { access_token: token } = await call(base, "/api/v1/auth/token", { method: "POST", body: { clientId: adminId, clientSecret: adminSecret } });
  const issuers = await call(base, "/api/v1/issuers", { token });
  const owner = issuers.find((i) => i.isCatalogueOwner);
  const catalogueClasses = await call(base, `/api/v1/issuers/${owner.id}/badge-classes`, { token });
  const catalogueClass = catalogueClasses.find((c) => c.catalogueCode === "COM-ORAL-N2") ?? catalogueClasses[0];
  const teamClass = catalogueClasses.find((c) => c.catalogueCode === "ORG-EQUIPE-N2") ?? catalogueClasses[4] ?? catalogueClasses[0];

  // The partner's class takes a catalogue class's artwork, so that screenshots show a real badge.
  const image = await fetch(`${base}/public/badges/${teamClass.id}/image?format=png`);
  if (image.status !== 200) { throw new Error(`class image: ${image.status}`); }
  const png = Buffer.from(await image.arrayBuffer()).toString("base64");

  const partner = await call(base, "/api/v1/issuers", {
    token, method: "POST", expect: 201,
    body: {
      name: "Maison des Associations de Tourcoing",
      url: "https://mda-tourcoing.example.org",
      email: "contact@mda-tourcoing.example.org",
      description: "Partenaire REQUAPASS : accompagne les associations et leurs bénévoles de Tourcoing.",
    },
  });
  const badgeClass = await call(base, `/api/v1/issuers/${partner.id}/badge-classes`, {
    token, method: "POST", expect: 201,
    body: {
      name: "Accueil du public en association",
      description: "Accueille, informe et oriente le public lors des permanences de l'association.",
      image: `data:image/png;base64,${png}`,
      criteria: { narrative: "- Accueille chaque personne avec attention\n- Présente les activités de l'association\n- Oriente vers le bon interlocuteur" },
      alignment: [{ targetName: "Communiquer à l'oral – niveau 2", targetUrl: "https://example.org/rectec/COM-ORAL-N2", targetFramework: "RECTEC+", targetCode: "COM-ORAL-N2" }],
      tags: ["accueil", "bénévolat"],
      translations: {
        nl: { name: "Publiek onthalen in een vereniging", description: "Ontvangt, informeert en verwijst het publiek door tijdens de permanenties van de vereniging.", criteriaNarrative: "- Ontvangt iedereen met aandacht\n- Stelt de activiteiten van de vereniging voor\n- Verwijst door naar de juiste persoon" },
        en: { name: "Welcoming the public in an association", description: "Welcomes, informs and directs the public during the association's opening hours.", criteriaNarrative: "- Welcomes each person attentively\n- Presents the association's activities\n- Directs people to the right contact" },
      },
    },
  });
  const award = (classId, body) => call(base, `/api/v1/badge-classes/${classId}/assertions`, { token, method: "POST", expect: 201, body });
  const valid = await award(badgeClass.id, {
    recipient: { type: "email", identity: "camille.benevole@example.org" },
    issuedOn: "2026-03-12T10:00:00Z",
    narrative: "A tenu **l'accueil** de la Maison des Associations pendant six mois, deux après-midi par semaine.",
    evidence: [{ id: "https://mda-tourcoing.example.org/temoignages/42", name: "Témoignage de la coordinatrice", narrative: "Camille a accueilli plus de 300 personnes avec patience et clarté." }],
  });
  const revoked = await award(badgeClass.id, { recipient: { type: "email", identity: "erreur@example.org" }, issuedOn: "2026-02-01T09:00:00Z" });
  await call(base, `/api/v1/assertions/${revoked.id}/revoke`, { token, method: "POST", body: { reason: "Badge attribué par erreur à la mauvaise personne." } });
  const expired = await award(badgeClass.id, {
    recipient: { type: "email", identity: "ancien.benevole@example.org" },
    issuedOn: "2024-01-15T09:00:00Z", expires: "2025-06-30T00:00:00Z",
    narrative: "A animé l'accueil pendant la saison 2024.",
  });
  const catalogue = await award(catalogueClass.id, {
    recipient: { type: "email", identity: "dominique@example.org" },
    issuedOn: "2026-05-04T10:00:00Z",
    narrative: "A présenté le projet associatif lors de trois réunions publiques.",
  });
  // A claim campaign: one multi-use code, as a poster at an association fair would carry.
  const campaign = await call(base, `/api/v1/badge-classes/${badgeClass.id}/claim-campaigns`, {
    token, method: "POST", expect: 201,
    body: { kind: "multi-use", name: "Forum des associations", endsAt: new Date(Date.now() + 30 * 86400000).toISOString(), maxClaims: 100 },
  });
  return {
    partner: { id: partner.id, name: "Maison des Associations de Tourcoing" },
    campaign: { id: campaign.id, code: campaign.code },
    badgeClass: { id: badgeClass.id, names: { fr: "Accueil du public en association", nl: "Publiek onthalen in een vereniging", en: "Welcoming the public in an association" } },
    catalogueClass: { id: catalogueClass.id, name: catalogueClass.name, issuerName: owner.name },
    assertions: { valid: valid.id, revoked: revoked.id, expired: expired.id, catalogue: catalogue.id },
  };
}
