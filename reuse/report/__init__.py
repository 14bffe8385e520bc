"""Human-readable reports: self-contained HTML and the terminal summary."""
