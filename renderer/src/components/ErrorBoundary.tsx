/** A screen that throws while rendering shows what happened and how to recover, not a blank window. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Meridian screen failed:', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="empty error" role="alert">
        <h3>This screen stopped working</h3>
        <p>
          {this.state.error.message}. Your data is safe: nothing is lost when a screen fails. Reload the window; if it happens again, note what you did and tell support.
        </p>
        <div className="actions">
          <button className="btn" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          <button className="btn primary" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </div>
    );
  }
}
