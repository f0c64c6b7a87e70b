/** The synced tables the credit screens read: a dataChanged event naming one of them reloads the screen. */
export const CREDIT_ENTITIES = ['financial_statement', 'covenant', 'scorecard_methodology', 'credit_analysis', 'credit_comment'] as const;
