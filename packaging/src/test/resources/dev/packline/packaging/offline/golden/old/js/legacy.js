window.legacy=true;
