"""The atlas: deployments (deals) with their parties, components, money, events and claims."""
