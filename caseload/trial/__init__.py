"""The randomised trial: set-up, screening, concealed allocation and masked assessment."""
