a = 1   
# comment with trailing spaces   
b = 2 # trailing	
/* block   
   comment  */



