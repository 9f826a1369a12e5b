from immunoquiz.launch import main

main()
