#!/usr/bin/env python
"""Django's manage.py; `satupintu` (satupintu/cli.py) is the same with dashed command names."""

from satupintu.cli import main

if __name__ == "__main__":
    main()
