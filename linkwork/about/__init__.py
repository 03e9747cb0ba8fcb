"""The pages every public service has: privacy notice, accessibility statement, cookies,
contact and help, terms of use and a human service status page, with the deployment's
own details (settings) and branding."""
