/**
 * What the demo firm looks like: its funds, its LPs and the word lists the
 * deal names are made from. All names are fictional.
 */
import type { SecurityType } from '../../../shared/domain/entities';

export type Strategy = 'buyout' | 'growth' | 'credit';

export interface FundSpec {
  name: string;
  currency: 'USD' | 'EUR';
  strategy: Strategy;
  /** First close before any shift (see seed-demo: the calendar moves by whole years with `today`). */
  firstClose: string;
  /** Fund size (= total LP commitments) in major units. */
  size: number;
  /** Investment period in years: new platform deals happen inside it, follow-ons after. */
  investYears: number;
  /** Management fee on commitments, basis points a year: [inside the investment period, after]. */
  feeBp: readonly [number, number];
  /** Fees stop after this many years. */
  feeYears: number;
  /** Cost the fund means to deploy over its life (major units); the rules may cut it. */
  deploy: number;
  /** Holding period range in years (first funding to exit / repayment). */
  holdYears: readonly [number, number];
  /** Target gross multiple on invested cost (equity funds); credit funds earn a coupon instead. */
  grossMultiple: number;
  /** Planner's own ceiling on utilisation (below the rules' cap), e.g. 0.9 for the "near its cap" fund. */
  targetUtilisation?: number;
  /** Name of an earlier fund whose companies this one backs again now and then. */
  predecessor?: string;
  /** This fund's latest regular capital call is the overdue one (one LP unpaid, one paid in part). */
  overdueCall?: boolean;
  /** How many LPs commit. */
  lpCount: readonly [number, number];
  /** Region the fund raises from first. */
  region: 'NA' | 'EU';
  /** One line on the story this fund tells on the dashboards. */
  story: string;
}

/** The five funds; first closes place the vintages 2016–2024 when today is in Dec 2025 – Dec 2026. */
export const FUND_SPECS: readonly FundSpec[] = [
  {
    name: 'Meridian Capital Partners II',
    currency: 'USD',
    strategy: 'buyout',
    firstClose: '2016-06-30',
    size: 70_000_000,
    investYears: 5,
    feeBp: [175, 90],
    feeYears: 10,
    deploy: 66_000_000,
    holdYears: [3, 6.5],
    grossMultiple: 2.3,
    lpCount: [6, 8],
    region: 'NA',
    story: 'Mature buyout fund in harvest: most positions exited, DPI above 1, top-quartile multiple.',
  },
  {
    name: 'Meridian Growth Fund III',
    currency: 'USD',
    strategy: 'growth',
    firstClose: '2018-03-29',
    size: 110_000_000,
    investYears: 5,
    feeBp: [175, 100],
    feeYears: 10,
    deploy: 80_000_000,
    holdYears: [4, 8],
    grossMultiple: 2.2,
    overdueCall: true,
    lpCount: [6, 8],
    region: 'NA',
    story: 'Growth fund past its investment period; the 50m per-fund limit capped its deployment, exits under way.',
  },
  {
    name: 'Meridian Europe Buyout I',
    currency: 'EUR',
    strategy: 'buyout',
    firstClose: '2019-10-15',
    size: 54_000_000,
    investYears: 5,
    feeBp: [150, 75],
    feeYears: 10,
    deploy: 62_000_000,
    holdYears: [4.5, 7.5],
    grossMultiple: 2.1,
    targetUtilisation: 0.9,
    lpCount: [5, 7],
    region: 'EU',
    story: 'Fully invested European buyout fund at about 90 % utilisation, close to both the 95 % cap and the 50m limit.',
  },
  {
    name: 'Meridian Credit Opportunities I',
    currency: 'EUR',
    strategy: 'credit',
    firstClose: '2021-02-26',
    size: 80_000_000,
    investYears: 3,
    feeBp: [60, 40],
    feeYears: 8,
    deploy: 72_000_000,
    holdYears: [2.5, 5],
    grossMultiple: 1.0,
    lpCount: [5, 7],
    region: 'EU',
    story: 'Private credit fund: steady coupon distributions, loans repaid and recycled, a couple of workouts.',
  },
  {
    name: 'Meridian Growth Fund IV',
    currency: 'USD',
    strategy: 'growth',
    firstClose: '2024-12-16',
    size: 100_000_000,
    investYears: 5,
    feeBp: [150, 100],
    feeYears: 10,
    deploy: 12_000_000,
    holdYears: [4, 7],
    grossMultiple: 2.0,
    predecessor: 'Meridian Growth Fund III',
    lpCount: [6, 8],
    region: 'NA',
    story: 'Young fund at the bottom of its J-curve: barely deployed, a pipeline of large deals awaiting approval.',
  },
];

export type LpType = 'pension' | 'endowment' | 'foundation' | 'sovereign' | 'family_office' | 'insurer' | 'fund_of_funds';

export interface LpSpec {
  name: string;
  type: LpType;
  region: 'NA' | 'EU' | 'ME' | 'APAC';
  /** Relative ticket size. */
  weight: number;
  /** Re-ups in every fund. */
  anchor?: boolean;
}

export const LP_SPECS: readonly LpSpec[] = [
  { name: 'Great Lakes Municipal Employees Retirement System', type: 'pension', region: 'NA', weight: 9, anchor: true },
  { name: 'Pacific Coast Teachers Pension Plan', type: 'pension', region: 'NA', weight: 8 },
  { name: 'Nordic Occupational Pension Fund', type: 'pension', region: 'EU', weight: 8 },
  { name: 'Rhine Valley Pensionskasse', type: 'pension', region: 'EU', weight: 6 },
  { name: 'Commonwealth Firefighters Superannuation', type: 'pension', region: 'APAC', weight: 5 },
  { name: 'Whitmore University Endowment', type: 'endowment', region: 'NA', weight: 5 },
  { name: 'St Aldric College Endowment', type: 'endowment', region: 'EU', weight: 3 },
  { name: 'Halvorsen Foundation', type: 'foundation', region: 'NA', weight: 3 },
  { name: 'Gulf Horizon Investment Authority', type: 'sovereign', region: 'ME', weight: 12, anchor: true },
  { name: 'Southern Cross Future Fund', type: 'sovereign', region: 'APAC', weight: 10 },
  { name: 'Albrecht Family Office', type: 'family_office', region: 'EU', weight: 1.5 },
  { name: 'Castellane Family Holdings', type: 'family_office', region: 'EU', weight: 1.2 },
  { name: 'Morrow Family Office', type: 'family_office', region: 'NA', weight: 1.3 },
  { name: 'Atlas Mutual Life Insurance Company', type: 'insurer', region: 'NA', weight: 6 },
  { name: 'Lindqvist Life & Pensions', type: 'insurer', region: 'EU', weight: 5 },
  { name: 'Provident Assurance Group', type: 'insurer', region: 'EU', weight: 4 },
  { name: 'Harbourview Private Markets Fund of Funds', type: 'fund_of_funds', region: 'NA', weight: 3 },
];

export const INDEX_NAME = 'World Equity Index';

export const SECTORS = [
  'Technology',
  'Healthcare',
  'Industrials',
  'Consumer',
  'Financial Services',
  'Business Services',
  'Logistics',
  'Energy Transition',
  'Education',
  'Media & Telecom',
] as const;
export type Sector = (typeof SECTORS)[number];

export const SECTOR_WORDS: Readonly<Record<Sector, readonly string[]>> = {
  Technology: ['Software', 'Analytics', 'Cloud', 'Cyber', 'Data Systems', 'Robotics', 'Semiconductors', 'AI', 'Networks', 'Labs'],
  Healthcare: ['Therapeutics', 'Diagnostics', 'Health', 'Medical', 'Biosciences', 'Dental Partners', 'Care', 'Genomics', 'Orthopedics', 'Pharma Services'],
  Industrials: ['Manufacturing', 'Precision', 'Engineering', 'Automation', 'Industries', 'Components', 'Materials', 'Fabrication', 'Hydraulics', 'Tooling'],
  Consumer: ['Foods', 'Brands', 'Apparel', 'Outdoor', 'Beverages', 'Home', 'Pet Care', 'Beauty', 'Retail', 'Kitchens'],
  'Financial Services': ['Payments', 'Lending', 'Insurance Services', 'Wealth', 'Fintech', 'Risk Solutions', 'Credit Services', 'Ledger', 'Treasury', 'Pay'],
  'Business Services': ['Consulting', 'Staffing', 'Facilities', 'Compliance', 'Outsourcing', 'Testing & Inspection', 'Marketing', 'Training', 'Services', 'Solutions'],
  Logistics: ['Logistics', 'Freight', 'Cold Chain', 'Fulfilment', 'Transport', 'Marine', 'Aviation Services', 'Parcel', 'Warehousing', 'Mobility'],
  'Energy Transition': ['Solar', 'Wind', 'Grid Services', 'Storage', 'Hydrogen', 'Charging', 'Heat Pumps', 'Energy', 'Renewables', 'Efficiency'],
  Education: ['Learning', 'Education', 'Academies', 'EdTech', 'Schools', 'Tutoring', 'Skills', 'Campus', 'Publishing', 'Languages'],
  'Media & Telecom': ['Media', 'Fibre', 'Broadband', 'Studios', 'Towers', 'Communications', 'Streaming', 'Audio', 'Games', 'Connect'],
};

export const NAME_PREFIXES: readonly string[] = [
  'Aurora', 'Borealis', 'Cobalt', 'Driftwood', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Ironwood', 'Juniper',
  'Keystone', 'Lumen', 'Northwind', 'Obsidian', 'Pinnacle', 'Quarry', 'Redwood', 'Sable', 'Tidewater', 'Vantage',
  'Willow', 'Xenon', 'Yarrow', 'Zephyr', 'Alder', 'Beacon', 'Cinder', 'Delta', 'Evergreen', 'Falcon',
  'Glacier', 'Halcyon', 'Indigo', 'Jasper', 'Kestrel', 'Larkspur', 'Magnolia', 'Nimbus', 'Onyx', 'Polaris',
  'Quill', 'Riverstone', 'Solstice', 'Tamarack', 'Verdant', 'Wayfarer', 'Atlas', 'Bramble', 'Cypress', 'Dune',
  'Estuary', 'Foxglove', 'Greystone', 'Heron', 'Kinetic', 'Lodestar', 'Mistral', 'Nova', 'Orchard', 'Pioneer',
  'Saltmarsh', 'Terra', 'Vireo', 'Amber', 'Bluefin', 'Copperleaf', 'Highland', 'Silverline', 'Stonebridge', 'Brightwater',
];

/** Countries (ISO 3166 alpha-2) by fund region, with weights. */
export const COUNTRIES: Readonly<Record<'NA' | 'EU', readonly (readonly [string, number])[]>> = {
  NA: [['US', 70], ['CA', 9], ['GB', 8], ['IL', 5], ['DE', 3], ['IE', 2], ['SE', 3]],
  EU: [['DE', 18], ['FR', 16], ['NL', 12], ['GB', 10], ['SE', 8], ['ES', 8], ['IT', 8], ['DK', 5], ['FI', 4], ['BE', 4], ['AT', 3], ['PL', 2], ['CH', 2]],
};

/** Legal-form suffixes by country (sometimes left off, as analysts do). */
export const LEGAL_FORMS: Readonly<Record<string, readonly string[]>> = {
  US: ['Inc.', 'LLC', 'Corp.'],
  CA: ['Inc.', 'Ltd.'],
  GB: ['Ltd', 'plc'],
  IL: ['Ltd'],
  IE: ['Ltd', 'DAC'],
  DE: ['GmbH', 'AG'],
  AT: ['GmbH'],
  CH: ['AG', 'SA'],
  FR: ['SAS', 'SA'],
  NL: ['B.V.'],
  BE: ['NV', 'SRL'],
  SE: ['AB'],
  DK: ['ApS', 'A/S'],
  FI: ['Oy'],
  ES: ['S.L.', 'S.A.'],
  IT: ['S.p.A.', 'S.r.l.'],
  PL: ['sp. z o.o.'],
};

export const SECTOR_WEIGHTS: Readonly<Record<Strategy, readonly (readonly [Sector, number])[]>> = {
  buyout: [['Industrials', 20], ['Business Services', 18], ['Healthcare', 16], ['Consumer', 14], ['Logistics', 10], ['Technology', 10], ['Education', 6], ['Media & Telecom', 6]],
  growth: [['Technology', 34], ['Healthcare', 20], ['Financial Services', 16], ['Consumer', 8], ['Energy Transition', 10], ['Education', 6], ['Media & Telecom', 6]],
  credit: [['Business Services', 16], ['Industrials', 16], ['Healthcare', 14], ['Technology', 14], ['Consumer', 10], ['Logistics', 10], ['Energy Transition', 10], ['Media & Telecom', 10]],
};

export const STAGES: Readonly<Record<Strategy, readonly (readonly [string, number])[]>> = {
  buyout: [['Buyout', 45], ['Secondary buyout', 20], ['Carve-out', 12], ['Add-on', 15], ['Take-private', 8]],
  growth: [['Series B', 25], ['Series C', 30], ['Series D', 15], ['Growth', 20], ['Pre-IPO', 10]],
  credit: [['Senior secured', 35], ['Unitranche', 35], ['Second lien', 10], ['Acquisition finance', 12], ['Recapitalisation', 8]],
};

export const SECURITY_MIX: Readonly<Record<Strategy, readonly (readonly [SecurityType, number])[]>> = {
  buyout: [['common_equity', 55], ['preferred_equity', 20], ['mezzanine', 10], ['convertible', 5], ['warrant', 5], ['other', 5]],
  growth: [['preferred_equity', 50], ['common_equity', 20], ['convertible', 20], ['warrant', 5], ['other', 5]],
  credit: [['senior_debt', 42], ['unitranche', 38], ['mezzanine', 15], ['other', 5]],
};

/** Annual coupon range by credit instrument. */
export const COUPONS: Readonly<Partial<Record<SecurityType, readonly [number, number]>>> = {
  senior_debt: [0.085, 0.105],
  unitranche: [0.1, 0.12],
  mezzanine: [0.125, 0.145],
  other: [0.095, 0.115],
};
