from immunoquiz.cli import main

main()
