window.extra=function(){return 42};
