"""What the engines that ask a language model share: prompts and schemas, one path from an answer to a
valid contract (with one repair), the providers' clients, and one mapping of their errors to ours."""
