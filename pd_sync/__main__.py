from pd_sync.cli import main

main()
