/**
 * Stripe.js, loaded only on the checkout page and only with the Stripe gateway: a script
 * tag from Stripe's own origin (card data never touches this app), never part of a bundle.
 * Only the few calls checkout makes are typed here.
 */
export interface StripeCardElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}

interface StripeError {
  message?: string;
}

export interface StripeClient {
  elements(): { create(kind: 'card', options?: Record<string, unknown>): StripeCardElement };
  createPaymentMethod(options: {
    type: 'card';
    card: StripeCardElement;
  }): Promise<{ paymentMethod?: { id: string }; error?: StripeError }>;
  handleNextAction(options: { clientSecret: string }): Promise<{ error?: StripeError }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeClient;
  }
}

const STRIPE_JS = 'https://js.stripe.com/v3';
let loading: Promise<NonNullable<Window['Stripe']>> | null = null;

function loadScript(): Promise<NonNullable<Window['Stripe']>> {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js')));
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error('Stripe.js'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

const clients = new Map<string, StripeClient>();

export async function loadStripe(publishableKey: string): Promise<StripeClient> {
  const existing = clients.get(publishableKey);
  if (existing) return existing;
  const Stripe = await loadScript();
  const client = Stripe(publishableKey);
  clients.set(publishableKey, client);
  return client;
}
