// The Panasonic KX-UT670 parameter catalogue: every configuration-file parameter of Administrator
// Guide Sections 5.4–5.8, one row each (written per manual section in catalogue-*.ts), and the
// cross-parameter constraints the manual states. Checked against ../shared/catalog/kx-ut670-params.tsv
// by test/models/kx-ut670-catalogue.test.ts.
import { Catalogue } from '../../../src/settings/catalogue.js';
import type { CatalogueSpec } from '../../../src/settings/types.js';
import { kxUt670CrossChecks } from './catalogue-checks.js';
import { lineParams } from './catalogue-line.js';
import { networkParams } from './catalogue-network.js';
import { systemParams } from './catalogue-system.js';
import { telephoneParams } from './catalogue-telephone.js';
import { voipParams } from './catalogue-voip.js';

export const kxUt670CatalogueSpec: CatalogueSpec = {
  model: 'KX-UT670',
  params: [...systemParams, ...networkParams, ...telephoneParams, ...voipParams, ...lineParams],
  crossChecks: kxUt670CrossChecks,
};

export const kxUt670Catalogue = new Catalogue(kxUt670CatalogueSpec);
